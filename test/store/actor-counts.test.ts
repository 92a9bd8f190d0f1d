import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

const count = (db: Database.Database, id: string) =>
  (db.prepare('SELECT brief_count FROM actors WHERE id = ?').get(id) as { brief_count: number })
    .brief_count;

describe('migration 6: the brief count on the actor row', () => {
  it("counts the briefs of a version 5 file's actors, then keeps the count as briefs come and go", () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.exec(`
      INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at) VALUES
        ('kim', 'person', 'Kim', 0, 0), ('seoul', 'place', 'Seoul', 0, 0);
      INSERT INTO briefs (id, title, language, created_at, json) VALUES
        (1, 'a', 'en', 0, '{}'), (2, 'b', 'en', 0, '{}'), (3, 'c', 'en', 0, '{}');
      INSERT INTO brief_actors (actor_id, brief_id, mentions, salience) VALUES
        ('kim', 1, 1, 1), ('kim', 2, 1, 1), ('kim', 3, 1, 1), ('seoul', 3, 1, 1);`);

    expect(migrate(db, MIGRATIONS.slice(0, 6))).toBe(6);
    expect([count(db, 'kim'), count(db, 'seoul')]).toEqual([3, 1]);

    db.exec(`INSERT INTO briefs (id, title, language, created_at, json) VALUES (4, 'd', 'en', 0, '{}');
      INSERT INTO brief_actors (actor_id, brief_id, mentions, salience) VALUES ('seoul', 4, 1, 1)`);
    // A brief deleted (prune) takes its mentions with it, and the counts follow.
    db.exec('DELETE FROM briefs WHERE id IN (1, 3)');
    expect([count(db, 'kim'), count(db, 'seoul')]).toEqual([1, 1]);
    db.close();
  });
});

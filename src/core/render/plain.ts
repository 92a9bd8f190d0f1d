import type { Brief } from '../types.js';
import type { BriefLocale } from './labels.js';
import type { ActorGroup } from './view.js';
import { toView } from './view.js';

/**
 * Renders a brief as plain text for a terminal. Nothing is escaped because nothing is
 * interpreted, but the text is still clean: control characters are gone, so a feed
 * cannot send terminal escape sequences to whoever runs the console adapter.
 */
export function renderText(brief: Brief, locale?: BriefLocale): string {
  const view = toView(brief, locale);
  const blocks: string[][] = [];

  const head = [view.title];
  const meta = [view.source, view.date].filter((part) => part !== null).join(' · ');
  if (meta !== '') head.push(meta);
  blocks.push(head);

  if (view.summary.length > 0) blocks.push(view.summary.map((sentence) => `  • ${sentence}`));
  if (view.groups.length > 0) blocks.push(view.groups.flatMap(actorLines));

  const tail: string[] = [];
  if (view.tags.length > 0) tail.push(view.tags.join(' '));
  if (view.url !== null) tail.push(view.url);
  if (tail.length > 0) blocks.push(tail);

  return blocks.map((lines) => lines.join('\n')).join('\n\n');
}

function actorLines(group: ActorGroup): string[] {
  if (!group.actors.some((actor) => actor.role !== null)) {
    return [`${group.label}: ${group.actors.map((actor) => actor.name).join(', ')}`];
  }
  return [
    `${group.label}:`,
    ...group.actors.map((actor) =>
      actor.role === null ? `  - ${actor.name}` : `  - ${actor.name} — ${actor.role}`,
    ),
  ];
}

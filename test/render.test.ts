import { describe, expect, expectTypeOf, it } from 'vitest';
import { renderDiscord } from '../src/adapters/discord/render/brief.js';
import { renderTelegram } from '../src/adapters/telegram/render/brief.js';
import { renderText } from '../src/core/render/index.js';
import { type DiscordRender, type RenderTarget, render } from '../src/render.js';
import { referenceBrief } from './core/render/briefs.js';

describe('render', () => {
  it("gives each target's result its own type", () => {
    const brief = referenceBrief();
    expectTypeOf(render(brief, 'text')).toEqualTypeOf<string>();
    expectTypeOf(render(brief, 'telegram')).toEqualTypeOf<string[]>();
    expectTypeOf(render(brief, 'discord')).toEqualTypeOf<DiscordRender>();
    const target = 'telegram' as RenderTarget;
    expectTypeOf(render(brief, target)).toEqualTypeOf<string | string[] | DiscordRender>();
  });

  it('dispatches to the per-platform renderers', () => {
    const brief = referenceBrief();
    expect(render(brief, 'text')).toBe(renderText(brief));
    expect(render(brief, 'telegram')).toEqual(renderTelegram(brief));
    expect(render(brief, 'discord')).toEqual(renderDiscord(brief));
  });

  it('rejects an unknown target from untyped callers', () => {
    expect(() => render(referenceBrief(), 'slack' as RenderTarget)).toThrow(
      /unknown render target/,
    );
  });

  it('does not mutate the brief', () => {
    const brief = referenceBrief();
    const copy = structuredClone(brief);
    render(brief, 'text');
    render(brief, 'telegram');
    render(brief, 'discord');
    expect(brief).toEqual(copy);
  });
});

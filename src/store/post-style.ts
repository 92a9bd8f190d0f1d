/**
 * How a subscription posts its briefs, read from its `filters` JSON (scheduler/routing.ts
 * writes it; both stores read it here, so they answer alike): the template, whether the
 * brief's lead image is shown, whether Telegram shows the link's preview. A `template` that
 * is neither `full` nor `compact` and has a placeholder (a `{`) is a custom one. Anything the JSON
 * does not say (or JSON that is no object) is the default: `full`, media and preview on.
 */
import type { Template } from './port.js';

export interface PostStyle {
  template: Template;
  /** The brief's lead image: a Telegram photo, a Discord embed's image. */
  media: boolean;
  /** Telegram's preview of the brief's link (never shown under a photo). */
  preview: boolean;
}

export const DEFAULT_POST_STYLE: PostStyle = { template: 'full', media: true, preview: true };

/** The post style of a subscription's filters, parsed JSON or its text (a store column). */
export function postStyleOf(filters: unknown): PostStyle {
  let value = filters;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return DEFAULT_POST_STYLE;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return DEFAULT_POST_STYLE;
  }
  const { template, media, preview } = value as Record<string, unknown>;
  return {
    template:
      template === 'compact'
        ? 'compact'
        : typeof template === 'string' && template.includes('{')
          ? { custom: template }
          : 'full',
    media: media !== false,
    preview: preview !== false,
  };
}

import { adminsToChange, type Context, defineCommand, error, text } from './define.js';
import { type BotLanguage, messages } from './messages.js';
import type { Reply } from './types.js';

const LANGUAGE_WORDS: Readonly<Record<string, BotLanguage>> = {
  en: 'en',
  eng: 'en',
  english: 'en',
  inglese: 'en',
  it: 'it',
  ita: 'it',
  italian: 'it',
  italiano: 'it',
};

async function showOrSetLanguage(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return text(ctx, ctx.m.languageIs(ctx.m.languageName));
  const chosen = LANGUAGE_WORDS[ctx.args.toLowerCase()];
  if (chosen === undefined) return error(ctx, 'not-found', ctx.m.badLanguage(ctx.args));
  await ctx.deps.store.destinations.set(ctx.chat.destination, { language: chosen });
  return text({ language: chosen }, messages(chosen).languageSet);
}

export const lang = defineCommand({
  name: 'lang',
  args: { en: 'it | en', it: 'it | en' },
  // `/lang` tells anyone the chat's language; choosing another is for admins.
  policy: adminsToChange((args) => args !== ''),
  description: {
    en: 'The language I speak in this chat',
    it: 'La lingua che parlo in questa chat',
  },
  options: [
    {
      name: 'language',
      type: 'string',
      required: false,
      choices: ['en', 'it'],
      description: { en: 'en or it', it: 'en oppure it' },
    },
  ],
  listed: true,
  run: showOrSetLanguage,
});

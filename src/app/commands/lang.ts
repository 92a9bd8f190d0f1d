/**
 * /lang: the words a chat may name its language by, and what the bot answers, from the
 * catalogue (src/core/i18n). Every chat language has all the bot's words: replies, /help,
 * notices, the brief's labels, dates and digest headings.
 */
import { CHAT_LANGUAGES, type ChatLanguage } from '../../config/schema.js';
import { text as say } from '../../core/i18n/catalogue.js';
import { feedText } from '../../core/render/index.js';
import { adminsToChange, type Context, defineCommand, error, localized, text } from './define.js';
import { QUOTE_MAX } from './reply-texts.js';
import type { Reply } from './types.js';

/** What may follow /lang: the codes, and the languages' names in each of the five. */
const LANGUAGE_WORDS: Readonly<Record<string, ChatLanguage>> = {
  en: 'en',
  eng: 'en',
  english: 'en',
  inglese: 'en',
  anglais: 'en',
  englisch: 'en',
  inglés: 'en',
  ingles: 'en',
  it: 'it',
  ita: 'it',
  italian: 'it',
  italiano: 'it',
  italien: 'it',
  italienisch: 'it',
  fr: 'fr',
  fra: 'fr',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  francese: 'fr',
  französisch: 'fr',
  francés: 'fr',
  frances: 'fr',
  de: 'de',
  deu: 'de',
  ger: 'de',
  german: 'de',
  deutsch: 'de',
  tedesco: 'de',
  allemand: 'de',
  alemán: 'de',
  aleman: 'de',
  es: 'es',
  spa: 'es',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  spagnolo: 'es',
  espagnol: 'es',
  spanisch: 'es',
};

/** The language `/lang <word>` names, or null. */
export function parseLanguage(word: string): ChatLanguage | null {
  return LANGUAGE_WORDS[word.trim().toLowerCase()] ?? null;
}

/** `/lang` alone: the chat's language, and how to change it, in that language. */
export function languageIsText(chat: ChatLanguage): string {
  return say(chat, 'lang.is', { language: say(chat, `lang.name.${chat}`) });
}

/** `/lang fr` done: said in the chosen language. */
export function languageSetText(chosen: ChatLanguage): string {
  return say(chosen, 'lang.set');
}

/** A word that names no language the bot knows, quoted back short and clean. */
export function badLanguageText(reply: ChatLanguage, typed: string): string {
  return say(reply, 'lang.bad', { text: `"${feedText(typed, QUOTE_MAX)}"` });
}

async function showOrSetLanguage(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return text(ctx, languageIsText(ctx.language));
  const chosen = parseLanguage(ctx.args);
  if (chosen === null) return error(ctx, 'not-found', badLanguageText(ctx.language, ctx.args));
  await ctx.deps.store.destinations.set(ctx.chat.destination, { language: chosen });
  return text({ language: chosen }, languageSetText(chosen));
}

export const lang = defineCommand({
  name: 'lang',
  args: localized('command.lang.args'),
  // `/lang` tells anyone the chat's language; choosing another is for admins.
  policy: adminsToChange((args) => args !== ''),
  description: localized('command.lang'),
  options: [
    {
      name: 'language',
      type: 'string',
      required: false,
      choices: CHAT_LANGUAGES,
      description: localized('command.lang.option.language'),
    },
  ],
  listed: true,
  run: showOrSetLanguage,
});

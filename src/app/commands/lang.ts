/**
 * /lang: the words a chat may name its language by, and what the bot answers, from the
 * catalogue (src/core/i18n). Every chat language has the brief's labels, dates and digest
 * headings; the bot's replies exist in English and Italian, and a chat in another language
 * is told, in English, that they stay English.
 */
import {
  type BotLanguage,
  CHAT_LANGUAGES,
  type ChatLanguage,
  replyLanguage,
} from '../../config/schema.js';
import { text as say } from '../../core/i18n/catalogue.js';
import { feedText } from '../../core/render/index.js';
import { adminsToChange, type Context, defineCommand, error, text } from './define.js';
import { QUOTE_MAX } from './messages.js';
import type { Reply } from './types.js';

/** What may follow /lang: the codes, and the languages' names in English and in their own. */
const LANGUAGE_WORDS: Readonly<Record<string, ChatLanguage>> = {
  en: 'en',
  eng: 'en',
  english: 'en',
  inglese: 'en',
  it: 'it',
  ita: 'it',
  italian: 'it',
  italiano: 'it',
  fr: 'fr',
  fra: 'fr',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  francese: 'fr',
  de: 'de',
  deu: 'de',
  ger: 'de',
  german: 'de',
  deutsch: 'de',
  tedesco: 'de',
  es: 'es',
  spa: 'es',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  spagnolo: 'es',
};

/** The language `/lang <word>` names, or null. */
export function parseLanguage(word: string): ChatLanguage | null {
  return LANGUAGE_WORDS[word.trim().toLowerCase()] ?? null;
}

/** `/lang` alone: the chat's language, and how to change it, in the replies' language. */
export function languageIsText(chat: ChatLanguage): string {
  const reply = replyLanguage(chat);
  const is = say(reply, 'lang.is', { language: say(reply, `lang.name.${chat}`) });
  return reply === chat ? is : `${is}\n${fallbackNote(chat)}`;
}

/** `/lang fr` done: said in the chosen language, and that the replies stay English if so. */
export function languageSetText(chosen: ChatLanguage): string {
  const set = say(chosen, 'lang.set');
  return replyLanguage(chosen) === chosen ? set : `${set}\n${fallbackNote(chosen)}`;
}

/** A word that names no language the bot knows, quoted back short and clean. */
export function badLanguageText(reply: BotLanguage, typed: string): string {
  return say(reply, 'lang.bad', { text: `"${feedText(typed, QUOTE_MAX)}"` });
}

function fallbackNote(chat: ChatLanguage): string {
  const reply = replyLanguage(chat);
  return say(reply, 'lang.repliesFallBack', { language: say(reply, `lang.name.${chat}`) });
}

async function showOrSetLanguage(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return text(ctx, languageIsText(ctx.chatLanguage));
  const chosen = parseLanguage(ctx.args);
  if (chosen === null) return error(ctx, 'not-found', badLanguageText(ctx.language, ctx.args));
  await ctx.deps.store.destinations.set(ctx.chat.destination, { language: chosen });
  return text({ language: replyLanguage(chosen) }, languageSetText(chosen));
}

export const lang = defineCommand({
  name: 'lang',
  args: { en: 'en | it | fr | de | es', it: 'it | en | fr | de | es' },
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
      choices: CHAT_LANGUAGES,
      description: {
        en: 'en, it; fr, de, es: brief labels and dates (replies in English)',
        it: 'it, en; fr, de, es: etichette e date delle notizie (risposte in inglese)',
      },
    },
  ],
  listed: true,
  run: showOrSetLanguage,
});

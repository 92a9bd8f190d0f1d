/**
 * /lang: the words a chat may name its language by, and what the bot answers, from the
 * catalogue (src/core/i18n). Every chat language has the brief's labels, dates and digest
 * headings; the bot's replies exist in English and Italian, and a chat in another language
 * is told, in English, that they stay English.
 */
import { type BotLanguage, type ChatLanguage, replyLanguage } from '../../config/schema.js';
import { text } from '../../core/i18n/catalogue.js';
import { feedText } from '../../core/render/index.js';
import { QUOTE_MAX } from './messages.js';

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
  const is = text(reply, 'lang.is', { language: text(reply, `lang.name.${chat}`) });
  return reply === chat ? is : `${is}\n${fallbackNote(chat)}`;
}

/** `/lang fr` done: said in the chosen language, and that the replies stay English if so. */
export function languageSetText(chosen: ChatLanguage): string {
  const set = text(chosen, 'lang.set');
  return replyLanguage(chosen) === chosen ? set : `${set}\n${fallbackNote(chosen)}`;
}

/** A word that names no language the bot knows, quoted back short and clean. */
export function badLanguageText(reply: BotLanguage, typed: string): string {
  return text(reply, 'lang.bad', { text: `"${feedText(typed, QUOTE_MAX)}"` });
}

function fallbackNote(chat: ChatLanguage): string {
  const reply = replyLanguage(chat);
  return text(reply, 'lang.repliesFallBack', { language: text(reply, `lang.name.${chat}`) });
}

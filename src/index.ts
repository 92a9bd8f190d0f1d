export { briefArticle, type EngineOptions, tagText } from './core/brief.js';
export { detectLanguage, loadLanguageDetector } from './core/language.js';
export type { Actor, ActorKind, Article, Brief, Mention } from './core/types.js';
export { render } from './render.js';

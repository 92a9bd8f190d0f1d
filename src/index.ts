export type { Actor, ActorKind, Article, Brief, Mention } from './core/types.js';

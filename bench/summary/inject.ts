/**
 * Dirty copies of the development articles, made the way feeds and pages spoil text: the
 * boilerplate of each language put where sites put it, and paragraph breaks lost upstream.
 * A brief of the dirty copy should read like the brief of the clean one.
 */
import type { DevArticle } from './data.js';

interface Kit {
  credit: string;
  dateline: string;
  byline: string;
  caption: string;
  readMore: (other: string) => string;
  share: string;
  newsletter: string;
  tail: string;
  footer: (title: string) => string;
}

const KITS: Record<string, Kit> = {
  en: {
    credit: 'REUTERS/Leonhard Foeger',
    dateline: 'PARIS (Reuters) - ',
    byline: 'By Jane Whitfield, Reuters',
    caption: 'Police officers stand guard outside the building on Tuesday. Photo: Mark Lennihan/AP',
    readMore: (other) => `Read more: ${other}`,
    share: 'Share this withEmailFacebookMessengerTwitterPinterestWhatsAppLinkedInCopy this link',
    newsletter: 'Sign up for our newsletter to get the day’s top stories in your inbox.',
    tail: '(Reporting by Jane Whitfield; Editing by Tom Hogue)',
    footer: (title) => `The post ${title} appeared first on Daily Herald Online.`,
  },
  fr: {
    credit: 'AFP / Ludovic MARIN',
    dateline: 'PARIS (AFP) - ',
    byline: 'Par Camille Durand',
    caption: 'Des policiers devant le bâtiment, mardi. Photo : AFP / Ludovic Marin',
    readMore: (other) => `Lire aussi : ${other}`,
    share: 'Partager :FacebookTwitterEmailWhatsAppImprimer',
    newsletter: 'Inscrivez-vous à notre newsletter pour recevoir l’essentiel de l’actualité.',
    tail: '(Avec AFP)',
    footer: (title) => `L’article ${title} est apparu en premier sur Le Quotidien du Sud.`,
  },
  it: {
    credit: 'ANSA/GIUSEPPE LAMI',
    dateline: 'ROMA – ',
    byline: 'di Giulia Ferrante',
    caption: 'Agenti davanti all’edificio martedì. Foto: Ansa/Giuseppe Lami',
    readMore: (other) => `Leggi anche: ${other}`,
    share: 'Condividi suFacebookTwitterWhatsAppEmail',
    newsletter: 'Iscriviti alla newsletter per ricevere ogni mattina le notizie principali.',
    tail: '(ANSA).',
    footer: (title) => `L'articolo ${title} proviene da Gazzetta del Borgo.`,
  },
  de: {
    credit: 'Foto: dpa/Michael Kappeler',
    dateline: 'Berlin (dpa) - ',
    byline: 'Von Jana Hoffmann',
    caption: 'Polizisten vor dem Gebäude am Dienstag. Bild: Keystone/Peter Klaunzer',
    readMore: (other) => `Lesen Sie auch: ${other}`,
    share: 'Teilen aufFacebookTwitterWhatsAppE-Mail',
    newsletter: 'Abonnieren Sie unseren Newsletter und erhalten Sie die wichtigsten News.',
    tail: '(dpa/afp)',
    footer: (title) => `Der Beitrag ${title} erschien zuerst auf Nordstadt Kurier.`,
  },
  es: {
    credit: 'EFE/Juan Carlos Hidalgo',
    dateline: 'MADRID (EFE) – ',
    byline: 'Por Lucía Fernández',
    caption: 'Agentes frente al edificio el martes. Foto: EFE/Juan Carlos Hidalgo',
    readMore: (other) => `Lee también: ${other}`,
    share: 'Compartir enFacebookTwitterWhatsAppCorreo',
    newsletter: 'Suscríbete a nuestra newsletter para recibir las noticias del día.',
    tail: '(Con información de EFE)',
    footer: (title) => `La entrada ${title} se publicó primero en Diario del Valle.`,
  },
};

/** The injected pieces an article's brief must not show (distinctive parts of each). */
export function injectedMarkers(lang: string): string[] {
  const kit = KITS[lang];
  if (!kit) return [];
  return [
    kit.credit,
    kit.dateline.trim(),
    kit.byline,
    kit.caption.slice(kit.caption.lastIndexOf('. ') + 2),
    kit.readMore('').trim(),
    kit.share.slice(0, 12),
    kit.newsletter.slice(0, 20),
    kit.tail,
    kit.footer('X').split('X')[1]?.trim() ?? '',
  ];
}

/** Paragraphs, or, for text in one block (CNN/DM), runs of about three sentences. */
function blocks(text: string): string[] {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  if (paragraphs.length >= 4) return paragraphs;
  const sentences = text.split(/(?<=[.!?]["”»]?)\s+(?=["“«„]?\p{Lu})/u);
  const out: string[] = [];
  for (let k = 0; k < sentences.length; k += 3) out.push(sentences.slice(k, k + 3).join(' '));
  return out;
}

/** The article with every kind of boilerplate its language's sites add. */
export function withBoilerplate(a: DevArticle, otherTitle: string): DevArticle | null {
  const kit = KITS[a.lang];
  if (!kit) return null;
  const parts = blocks(a.text);
  const out: string[] = [kit.credit, kit.byline, `${kit.dateline}${parts[0] ?? ''}`];
  parts.slice(1).forEach((p, k) => {
    out.push(p);
    if (k === 0) out.push(kit.caption, kit.readMore(otherTitle));
    if (k === 2) out.push(kit.share, kit.newsletter);
  });
  out.push(kit.tail, kit.footer(a.title.trim()));
  return { ...a, text: out.join('\n\n') };
}

/**
 * The article with its paragraph breaks lost and every other sentence glued to the next
 * ("domestique.Consternant", `in a row."Tommy`), as scraped text often arrives.
 */
export function glued(a: DevArticle): DevArticle {
  let k = 0;
  const text = a.text
    .replace(/\s*\n\s*\n\s*/g, '')
    .replace(/([\p{Ll}\d][.!?]["”»]?) (?=["“«„]?\p{Lu})/gu, (whole, end: string) =>
      k++ % 2 === 0 ? end : whole,
    );
  return { ...a, text };
}

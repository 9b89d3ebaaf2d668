// Translation: t('key', { name }) in the current language (German by default, `lang=en` in the URL).
import { de, type Key as BaseKey } from './de.ts';
import { en } from './en.ts';
import type { Lang } from '../../../src/contracts/format.ts';

export type Key = BaseKey;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

const DICTS: Record<Lang, Record<Key, string>> = { de, en };

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang] ?? de;
  return (key, params) => {
    let s: string = dict[key] ?? DICTS.de[key] ?? key;
    if (params) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    return s;
  };
}

export function parseLang(v: string | undefined): Lang {
  return v === 'en' ? 'en' : 'de';
}

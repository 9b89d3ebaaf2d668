// JSON-schema pieces the routes share, so that a limit is written once and agrees with what the
// imports accept (a key the import stores is a key the API can ask for).
import { KEY_MAX_LENGTH } from '../core/indicators.ts';
import { englishText, type Coded, type ParamValue } from '../contracts/codes/index.ts';

/** An indicator, layer or other key as the imports accept it. */
export const KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: KEY_MAX_LENGTH } as const;
/** A layer named in import options: checked by the import itself, with a message naming the rule. */
export const LAYER_OPTION = { type: 'string', maxLength: KEY_MAX_LENGTH } as const;
/** LAYER or LAYER@DATE. */
export const LAYER_REF = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]*(@[0-9./-]+)?$',
  maxLength: KEY_MAX_LENGTH + 11,
  description: 'LAYER or LAYER@DATE (the boundary version valid on that date)',
} as const;

/**
 * An error answer: `message` in English, and for errors with a registered code (src/contracts/codes)
 * `code` and `params`, from which the web app renders its own language (decision 0042).
 */
export const ERROR_ANSWER = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    code: { type: 'string' },
    params: { type: 'object', additionalProperties: true },
    id: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

/** An error answer for a code: its English text as `message`, with `code` and `params`. */
export function codedAnswer(
  error: string,
  c: Coded,
): { error: string; message: string; code: string; params: Record<string, ParamValue> } {
  return { error, message: englishText(c), code: c.code, params: c.params };
}

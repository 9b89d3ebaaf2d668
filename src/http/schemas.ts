// JSON-schema pieces the routes share, so that a limit is written once and agrees with what the
// imports accept (a key the import stores is a key the API can ask for).
import { KEY_MAX_LENGTH } from '../core/indicators.ts';

/** An indicator, layer or other key as the imports accept it. */
export const KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: KEY_MAX_LENGTH } as const;
/** A layer named in import options: checked by the import itself, with a message naming the rule. */
export const LAYER_OPTION = { type: 'string', maxLength: KEY_MAX_LENGTH } as const;
/** LAYER or LAYER@DATE. */
export const LAYER_REF = { type: 'string', pattern: '^[a-z][a-z0-9_]*(@[0-9./-]+)?$', maxLength: KEY_MAX_LENGTH + 11, description: 'LAYER or LAYER@DATE (the boundary version valid on that date)' } as const;

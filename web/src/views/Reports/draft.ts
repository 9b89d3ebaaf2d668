// The editor's working copy of a report: sections of blocks, changed by small pure steps (add,
// remove, move, change a field), each returning a new draft so that the preview and the JSON
// view follow every step. The block fields and the required ones come from core's BLOCK_FIELDS.
import {
  BLOCK_FIELDS,
  emptySpec,
  type BlockSpec,
  type BlockType,
  type ReportParameter,
} from '../../../../src/core/report/model.ts';

interface DraftBlock {
  key: string;
  spec: BlockSpec;
}

export interface DraftSection {
  title: string;
  blocks: DraftBlock[];
}

export interface Draft {
  title: string;
  subtitle?: string;
  parameters: ReportParameter[];
  sections: DraftSection[];
}

/** The draft as the API takes it (title, subtitle, parameters, sections). */
export function draftBody(d: Draft): Draft {
  const body: Draft = { title: d.title, parameters: d.parameters, sections: d.sections };
  if (d.subtitle) body.subtitle = d.subtitle;
  return body;
}

/** The draft from the API's definition (unknown fields of the report are dropped). */
export function draftOf(definition: {
  title: string;
  subtitle?: string | null;
  parameters: ReportParameter[];
  sections: DraftSection[];
}): Draft {
  return {
    title: definition.title,
    subtitle: definition.subtitle ?? undefined,
    parameters: definition.parameters,
    sections: definition.sections.map((s) => ({
      title: s.title,
      blocks: s.blocks.map((b) => ({ key: b.key, spec: b.spec })),
    })),
  };
}

/** A block key not yet used in the draft: the type's name with a number. */
export function freshKey(d: Draft, type: BlockType): string {
  const used = new Set(d.sections.flatMap((s) => s.blocks.map((b) => b.key)));
  for (let n = 1; ; n++) {
    const k = `${type}-${n}`;
    if (!used.has(k)) return k;
  }
}

function move<T>(xs: T[], from: number, to: number): T[] {
  if (to < 0 || to >= xs.length || from === to) return xs;
  const out = [...xs];
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x);
  return out;
}

const withSection = (d: Draft, i: number, f: (s: DraftSection) => DraftSection): Draft => ({
  ...d,
  sections: d.sections.map((s, j) => (j === i ? f(s) : s)),
});

export const draftSteps = {
  setTitle: (d: Draft, title: string): Draft => ({ ...d, title }),
  setSubtitle: (d: Draft, subtitle: string): Draft => ({ ...d, subtitle: subtitle || undefined }),
  addSection: (d: Draft, title: string): Draft => ({ ...d, sections: [...d.sections, { title, blocks: [] }] }),
  removeSection: (d: Draft, i: number): Draft => ({ ...d, sections: d.sections.filter((_, j) => j !== i) }),
  moveSection: (d: Draft, i: number, by: -1 | 1): Draft => ({ ...d, sections: move(d.sections, i, i + by) }),
  renameSection: (d: Draft, i: number, title: string): Draft => withSection(d, i, (s) => ({ ...s, title })),
  /** A new block of the type at the end of section i; an area parameter fills layer and area. */
  addBlock: (d: Draft, i: number, type: BlockType): Draft => {
    const p = d.parameters.find((x) => x.name === 'area');
    const spec = emptySpec(type, p ? { layer: p.layer, area: '$area' } : {});
    return withSection(d, i, (s) => ({ ...s, blocks: [...s.blocks, { key: freshKey(d, type), spec }] }));
  },
  removeBlock: (d: Draft, i: number, b: number): Draft =>
    withSection(d, i, (s) => ({ ...s, blocks: s.blocks.filter((_, j) => j !== b) })),
  /** Up or down within its section; at a section's edge into the neighbouring section. */
  moveBlock: (d: Draft, i: number, b: number, by: -1 | 1): Draft => {
    const blocks = d.sections[i].blocks;
    const to = b + by;
    if (to >= 0 && to < blocks.length) return withSection(d, i, (s) => ({ ...s, blocks: move(s.blocks, b, to) }));
    const j = i + by;
    if (j < 0 || j >= d.sections.length) return d;
    const block = blocks[b];
    const out = withSection(d, i, (s) => ({ ...s, blocks: s.blocks.filter((_, k) => k !== b) }));
    return withSection(out, j, (s) => ({ ...s, blocks: by < 0 ? [...s.blocks, block] : [block, ...s.blocks] }));
  },
  renameBlock: (d: Draft, i: number, b: number, key: string): Draft =>
    withSection(d, i, (s) => ({ ...s, blocks: s.blocks.map((x, k) => (k === b ? { ...x, key } : x)) })),
  /** Sets one field of a block's spec; undefined (or an empty optional field) removes it. */
  setField: (d: Draft, i: number, b: number, name: string, value: unknown): Draft =>
    withSection(d, i, (s) => ({
      ...s,
      blocks: s.blocks.map((x, k) => {
        if (k !== b) return x;
        const spec = { ...(x.spec as unknown as Record<string, unknown>) };
        const field = BLOCK_FIELDS[x.spec.type].find((f) => f.name === name);
        if (value === undefined || (value === '' && !field?.required)) delete spec[name];
        else spec[name] = value;
        return { ...x, spec: spec as unknown as BlockSpec };
      }),
    })),
};

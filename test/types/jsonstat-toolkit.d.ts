// The parts of jsonstat-toolkit (which ships no types) that the tests use.
declare module 'jsonstat-toolkit' {
  interface JsonStatCategoryInstance {
    label: string;
    unit?: { label?: string; symbol?: string; decimals?: number; position?: string } | null;
    note?: string[] | null;
  }
  interface JsonStatDimensionInstance {
    label: string;
    length: number;
    id: string[];
    role: string;
    Category(id: string | number): JsonStatCategoryInstance | null;
  }
  export interface JsonStatInstance {
    class: string;
    length: number;
    n: number;
    id: string[];
    size: number[];
    label: string | null;
    source: string | null;
    updated: string | null;
    note: string[] | null;
    link: Record<string, { type?: string; href: string }[]> | null;
    extension: Record<string, unknown> | null;
    role: { time?: string[]; geo?: string[]; metric?: string[]; classification?: string[] } | null;
    value: (number | null)[];
    status: (string | null)[] | null;
    Dimension(id: string | number): JsonStatDimensionInstance | null;
    Dimension(query: { role: string }): JsonStatDimensionInstance[];
    Data(query: Record<string, string>): { value: number | null; status: string | null } | null;
  }
  export default function JSONstat(input: object): JsonStatInstance;
}

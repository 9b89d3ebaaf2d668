// Answers of the sealed office's definitions (GET /api/sealed/definitions, /api/sealed/definitions/{key}, PUT of one).

/** A stored sealed definition's latest version. */
export interface SealedDefinitionInfo {
  key: string;
  version: number;
  createdBy: string;
  createdAt: string;
}

/** The latest version with the definition as it was written (the format of docs/sealed-office.md). */
export interface SealedDefinitionDetail extends SealedDefinitionInfo {
  definition: Record<string, unknown>;
}

/** PUT /api/sealed/definitions/{key}: the version stored, and whether it is a new one (an unchanged definition keeps its version). */
export interface SavedSealedDefinition {
  key: string;
  version: number;
  newVersion: boolean;
}

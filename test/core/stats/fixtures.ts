// Shared fixtures of the statistics tests.

/** The example of issue #5, exactly as written there. */
export const ISSUE_EXAMPLE = JSON.parse(`{
  "key": "status",
  "name": "Statusindex",
  "layer": "planungsraum",
  "period": "2020-12-31",
  "components": [
    { "indicator": "arbeitslose_anteil", "weight": 1, "direction": 1 },
    { "indicator": "transferbezug_anteil", "weight": 1, "direction": 1 },
    { "indicator": "kinderarmut_anteil", "weight": 1, "direction": 1 }
  ],
  "transform": { "method": "zscore", "sd": "population" },
  "combine": "sum",
  "restandardize": true,
  "classes": { "method": "thresholds", "breaks": [-1, 1, 1.5],
               "labels": ["hoch", "mittel", "niedrig", "sehr niedrig"] },
  "exclude": { "minBase": { "indicator": "einwohner", "min": 300 },
               "areas": [ { "code": "10100205", "reason": "Ausreißer" } ] }
}`);

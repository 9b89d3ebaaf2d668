// USArrests (McNeil 1977; R's datasets::USArrests): 50 US states, arrests per 100,000 residents for
// Murder, Assault and Rape in 1973, and UrbanPop (percent urban population). Embedded as in R.
// Columns: Murder, Assault, UrbanPop, Rape.
export const USARRESTS_STATES = [
  "Alabama", "Alaska", "Arizona", "Arkansas", "California",
  "Colorado", "Connecticut", "Delaware", "Florida", "Georgia",
  "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
  "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
  "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
  "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
  "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
  "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina",
  "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
  "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
];

export const USARRESTS: number[][] = [
  [13.2, 236, 58, 21.2],
  [10, 263, 48, 44.5],
  [8.1, 294, 80, 31],
  [8.8, 190, 50, 19.5],
  [9, 276, 91, 40.6],
  [7.9, 204, 78, 38.7],
  [3.3, 110, 77, 11.1],
  [5.9, 238, 72, 15.8],
  [15.4, 335, 80, 31.9],
  [17.4, 211, 60, 25.8],
  [5.3, 46, 83, 20.2],
  [2.6, 120, 54, 14.2],
  [10.4, 249, 83, 24],
  [7.2, 113, 65, 21],
  [2.2, 56, 57, 11.3],
  [6, 115, 66, 18],
  [9.7, 109, 52, 16.3],
  [15.4, 249, 66, 22.2],
  [2.1, 83, 51, 7.8],
  [11.3, 300, 67, 27.8],
  [4.4, 149, 85, 16.3],
  [12.1, 255, 74, 35.1],
  [2.7, 72, 66, 14.9],
  [16.1, 259, 44, 17.1],
  [9, 178, 70, 28.2],
  [6, 109, 53, 16.4],
  [4.3, 102, 62, 16.5],
  [12.2, 252, 81, 46],
  [2.1, 57, 56, 9.5],
  [7.4, 159, 89, 18.8],
  [11.4, 285, 70, 32.1],
  [11.1, 254, 86, 26.1],
  [13, 337, 45, 16.1],
  [0.8, 45, 44, 7.3],
  [7.3, 120, 75, 21.4],
  [6.6, 151, 68, 20],
  [4.9, 159, 67, 29.3],
  [6.3, 106, 72, 14.9],
  [3.4, 174, 87, 8.3],
  [14.4, 279, 48, 22.5],
  [3.8, 86, 45, 12.8],
  [13.2, 188, 59, 26.9],
  [12.7, 201, 80, 25.5],
  [3.2, 120, 80, 22.9],
  [2.2, 48, 32, 11.2],
  [8.5, 156, 63, 20.7],
  [4, 145, 73, 26.2],
  [5.7, 81, 39, 9.3],
  [2.6, 53, 66, 10.8],
  [6.8, 161, 60, 15.6],
];

/**
 * hclust(dist(USArrests), "ward.D2"): merge heights and merge matrix, computed independently in exact
 * rational arithmetic from the closed form of the ward.D2 criterion, d²(A, B) = 2|A||B| / (|A| + |B|) ·
 * ‖c_A − c_B‖², with R's global-minimum merge order (no ties occur) and R's numbering (hcass2), then
 * sqrt to 17 significant digits (40-digit decimal arithmetic). Cross-checked with SciPy's linkage(X, 'ward'),
 * which matches to 3e-16 relative. Not produced by the code under test.
 */
export const USARRESTS_WARD_D2_HEIGHT = [
  2.2912878474779200, 3.8340579025361628, 3.9293765408777001, 6.2369864518050703, 6.6377707101104359,
  7.3552702193733168, 8.0274528961557912, 8.5375640553965977, 11.456439237389600, 11.651180197731044,
  11.711105840184350, 12.089940722214756, 12.614277624977183, 13.044922383824290, 13.297368160654950,
  13.896042602122375, 14.230249470757707, 14.325967099408449, 14.501034445859371, 15.454449197561199,
  15.946368447601688, 16.826170093042564, 17.344355469912010, 19.507605354493582, 19.622130363444230,
  21.167191594540831, 21.768095920406084, 22.487218591902379, 22.810816147900832, 24.298559628093185,
  25.607616054603755, 26.415904300250635, 30.058886650484357, 33.432145209862518, 34.345378146120331,
  38.493679134805150, 38.527911960032301, 42.454524690151304, 43.362975209821789, 44.808392071128819,
  50.335119804310446, 65.997831133194932, 69.349701135758672, 82.294440881507908, 106.29226554310391,
  141.13374153617554, 162.69994468345710, 352.78364164899434, 700.87860194943049,
];

export const USARRESTS_WARD_D2_MERGE: [number, number][] = [
  [-15, -29], [-17, -26], [-14, -16], [-13, -32], [-35, -44], [-36, -46], [-7, -38],
  [-19, -41], [-21, -30], [-48, 8], [-49, 1], [-50, 6], [-4, -42], [-34, -45],
  [-22, -28], [-3, -31], [-27, 2], [-37, 12], [-6, -43], [-1, -18], [-20, 16],
  [-12, 3], [-8, 20], [17, 22], [-47, 18], [-24, -40], [5, 7], [-23, 11],
  [-25, 13], [4, 15], [-39, 9], [-10, 19], [-2, 26], [-5, 21], [-11, 28],
  [24, 27], [-9, -33], [29, 32], [23, 30], [25, 31], [14, 35], [10, 41],
  [33, 39], [34, 37], [38, 40], [43, 44], [36, 42], [45, 47], [46, 48],
];

/** cutree(hclust(dist(USArrests), "ward.D2"), 4), from the same exact reference. */
export const USARRESTS_WARD_D2_CUTREE4 = [1,  1,  1,  2,  1,  2,  3,  1,  1,  2,  4,  3,  1,  3,  4,  3,  3,  1,  4,  1,  2,  1,  4,  1,  2,  3,  3,  1,  4,  2,  1,  1,  1,  4,  3,  2,  2,  3,  2,  1,  4,  2,  2,  3,  4,  2,  2,  4,  4,  2];

/**
 * Published R output for the standardised data (scale(USArrests), i.e. sample sd), from the widely
 * reproduced factoextra/STHDA tutorials: hclust(dist(scale(USArrests)), "ward.D2") cut into 4 groups has
 * sizes 7, 12, 19, 12 (table(grp)), and cor(res.dist, cophenetic(res.hc)) = 0.6975266.
 */
export const PUBLISHED_SCALED_WARD = { sizes: [7, 12, 19, 12], copheneticCorrelation: 0.6975266 };

/**
 * Published R output: set.seed(123); kmeans(scale(USArrests), 4, nstart = 25) (Hartigan–Wong), printed in
 * the UC Business Analytics R guide and factoextra tutorials: sizes 13, 16, 13, 8; clustering vector below;
 * within-cluster SS 11.952463 16.212213 19.922437 8.316061; between_SS / total_SS = 71.2 %.
 */
export const PUBLISHED_SCALED_KMEANS4 = {
  cluster: [4, 3, 3, 4, 3, 3, 2, 2, 3, 4, 2, 1, 3, 2, 1, 2, 1, 4, 1, 3, 2, 3, 1, 4, 3, 1, 1, 3, 1, 2, 3, 3, 4, 1, 2, 2, 2, 2, 2, 4, 1, 4, 3, 2, 1, 2, 2, 1, 1, 2],
  withinss: [11.952463, 16.212213, 19.922437, 8.316061],
  sizes: [13, 16, 13, 8],
  betweenOverTotal: 0.712,
};

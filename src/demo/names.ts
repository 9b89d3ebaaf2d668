// Invented, German-sounding place names for the demo city. Any resemblance to a real place is
// a coincidence of how German places are named.

/** Special district names, given by the character of the area. */
export const DISTRICT_CENTRE = 'Altstadt';
export const DISTRICT_INDUSTRIAL = 'Hüttenfeld';
export const DISTRICT_VILLA = 'Sonnenberg';
export const DISTRICT_NEW_HOUSING = 'Lerchenfeld';
export const DISTRICT_CARDINAL = { north: 'Nordstadt', east: 'Oststadt', south: 'Südstadt', west: 'Weststadt' } as const;

/** Further district names. */
export const DISTRICT_POOL = [
  'Lindenau', 'Eichholz', 'Birkenhain', 'Mühlenkamp', 'Rosenhöhe', 'Feldhausen', 'Wiesental',
  'Bergheide', 'Brückfeld', 'Hagenried', 'Auenwald', 'Steinbrink', 'Falkenhorst', 'Tannenhof',
  'Ulmenried', 'Erlenbruch', 'Kranichsee', 'Holunderbach', 'Schwalbenau', 'Kastanienhöhe',
  'Buchenwerder', 'Ahornfeld', 'Wachtelberg', 'Rabenhorst', 'Weidenau', 'Ginsterheide',
];

/** Neighbourhood (Stadtteil) names. */
export const NEIGHBOURHOOD_POOL = [
  'Am Mühlbach', 'Kirchberg', 'Hohenfeld', 'Bruchhausen', 'Grünhof', 'Tiefenbach', 'Neumühle',
  'Am Wasserturm', 'Finkenweg', 'Ziegelei', 'Bahnhofsvorstadt', 'Kuhlenkamp', 'Espenhain',
  'Heckenrode', 'Moorwiesen', 'Schafbrücke', 'Lerchenhöhe', 'Am Stadtwald', 'Drosselgrund',
  'Hasenheide', 'Kalkofen', 'Rotdornsiedlung', 'Brunnenfeld', 'Sandkamp', 'Bachwiesen',
  'Eschenhof', 'Am Hochbunker', 'Zechenkolonie', 'Heidkamp', 'Westerfeld', 'Osterholz',
  'Sudhof', 'Nordhöhe', 'Mühlenberg', 'Talaue', 'Burgwall', 'Klosterfeld', 'Gänsewiese',
  'Fuchsbau', 'Hammerstein', 'Ölmühle', 'Schmiedekamp', 'Wallgraben', 'Hopfengarten',
  'Vogelsang', 'Pappelallee', 'Brachfeld', 'Kiefernhain', 'Lohmühle', 'Am Kanal',
  'Hafenvorstadt', 'Gartenstadt', 'Am Schlachthof', 'Fliederhof', 'Tuchmacherviertel',
  'Rübenkamp', 'Kesselhaus', 'Storchennest', 'Hollerbusch', 'Ringelberg', 'Sternwiese',
  'Glockengießerei', 'Walkmühle', 'Am Lindenplatz', 'Krähenwinkel', 'Immenhof', 'Lehmkuhle',
  'Feldmark', 'Schwanenteich', 'Quellenhof', 'Wolfskuhle', 'Dachsberg', 'Bärenkamp',
  'Obstwiese', 'Hirtenfeld', 'Sonnenwinkel', 'Kornblumenhof', 'Am Weinberg', 'Steinkuhle',
];

/** Neighbourhoods of the old town centre. */
export const CENTRE_NEIGHBOURHOODS = ['Bahnhofsviertel', 'Schlossviertel', 'Marktviertel', 'Wallanlagen', 'Domviertel', 'Hafenviertel'];

/** Primary-school names (the catchment is named after its school). */
export const SCHOOL_POOL = [
  'Astrid-Lindgren-Schule', 'Erich-Kästner-Schule', 'Pestalozzischule', 'Brüder-Grimm-Schule',
  'Regenbogenschule', 'Wilhelm-Busch-Schule', 'Janusz-Korczak-Schule', 'Anne-Frank-Schule',
  'Friedrich-Fröbel-Schule', 'Comenius-Schule', 'Matthias-Claudius-Schule', 'Hans-Christian-Andersen-Schule',
  'Löwenzahnschule', 'Schule am Park', 'Schule am Wald', 'Schule an der Mühle', 'Lindenschule',
  'Eichendorffschule', 'Käthe-Kollwitz-Schule', 'Theodor-Heuss-Schule', 'Michael-Ende-Schule',
  'Otfried-Preußler-Schule', 'Ludwig-Uhland-Schule', 'Schule am Teich', 'Sonnenblumenschule',
  'Gebrüder-Humboldt-Schule', 'Marie-Curie-Schule', 'Paul-Klee-Schule', 'Hermann-Hesse-Schule',
  'Schule am Kirchberg',
];

/** Street-name parts for block names. */
export const STREET_PREFIX = [
  'Linden', 'Eichen', 'Birken', 'Ahorn', 'Kastanien', 'Mühlen', 'Schul', 'Kirch', 'Garten',
  'Bahnhof', 'Markt', 'Schiller', 'Goethe', 'Lessing', 'Heine', 'Brunnen', 'Rosen', 'Tulpen',
  'Berg', 'Wiesen', 'Feld', 'Wald', 'Bach', 'Hafen', 'Post', 'Burg', 'Schloss', 'Rathaus',
  'Sonnen', 'Stern', 'Kloster', 'Zechen', 'Hütten', 'Ziegel', 'Heide', 'Anger', 'Weiden',
  'Erlen', 'Fontane', 'Kant', 'Holunder', 'Falken', 'Amsel', 'Drossel', 'Hirsch', 'Quellen',
];
export const STREET_SUFFIX = ['straße', 'weg', 'platz', 'ring', 'allee', 'park', 'hof', 'feld', 'kamp', 'siedlung'];

# Opens collections of a Kommunalmonitor OGC API with headless QGIS (test/http/ogc-clients.test.ts)
# and prints what QGIS sees as JSON: validity, feature count, CRS, extent, field types.
#   python3 qgis-oapif.py BASE_URL        (BASE_URL: http://host:port/ogc)
import json
import os
import sys

os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

base = sys.argv[1]
app = QgsApplication([], False)
app.initQgis()


def describe(layer, with_features=True):
    out = {
        'valid': layer.isValid(),
        'featureCount': layer.featureCount(),
        'crs': layer.crs().authid(),
    }
    if layer.isValid():
        e = layer.extent()
        out['extent'] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
        out['fields'] = {f.name(): f.typeName() for f in layer.fields()}
        if with_features:
            out['fetched'] = sum(1 for _ in layer.getFeatures())
    else:
        out['error'] = layer.error().summary() if layer.error() else ''
    return out


def extent_in(layer, authid):
    """The extent of the layer's geometries transformed by QGIS (PROJ) into another CRS."""
    t = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(authid), QgsProject.instance())
    box = QgsRectangle()
    box.setMinimal()
    for f in layer.getFeatures():
        g = f.geometry()
        g.transform(t)
        box.combineExtentWith(g.boundingBox())
    return [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()]


result = {'qgis': Qgis.QGIS_VERSION, 'layers': {}}
for name in ['block', 'einwohner.block', 'bezirk']:
    layer = QgsVectorLayer(f"url='{base}' typename='{name}'", name, 'OAPIF')
    result['layers'][name] = describe(layer)
    if name == 'block' and layer.isValid():
        result['layers'][name]['extent25832'] = extent_in(layer, 'EPSG:25832')

# Server-side EPSG:25832: QGIS's OAPIF provider asks for it where it supports OGC API Features
# Part 2 (srsname); the items in EPSG:25832 read through QGIS's OGR provider work on every version.
oapif = QgsVectorLayer(f"url='{base}' typename='block' srsname='EPSG:25832'", 'block25832', 'OAPIF')
result['layers']['block@oapif-srsname'] = describe(oapif, with_features=False)
url = f"{base}/collections/block/items?crs=http://www.opengis.net/def/crs/EPSG/0/25832&limit=10000"
result['layers']['block@25832'] = describe(QgsVectorLayer(url, 'block25832', 'ogr'))

print(json.dumps(result), flush=True)
# exitQgis() can crash on the way out of a headless session; the answer is out, so leave at once.
os._exit(0)

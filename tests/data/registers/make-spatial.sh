#!/bin/sh
# Writes the spatial register fixtures of issue 12 from the WGS84 sources committed beside them.
# Synthetic and fictional: Veloria, the test programme's invented country in the open South Atlantic.
# Needs gdal-bin (ogr2ogr) and zip. Run from anywhere: sh tests/data/registers/make-spatial.sh
set -eu
cd "$(dirname "$0")"

# A fictional national grid for Veloria: Transverse Mercator on the WGS84 ellipsoid, no authority code,
# so an importer can only learn it from the .prj (or a mapping's WKT).
NATIONAL_GRID='PROJCS["Veloria National Grid",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",-31],PARAMETER["central_meridian",-24.25],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",300000],PARAMETER["false_northing",700000],UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]'
printf '%s\n' "$NATIONAL_GRID" > veloria-national-grid.prj

# 1. Hazard polygons as an operator's GIS delivers them: a Shapefile in the national grid, as a set and as a .zip.
rm -f hazards-national-grid.shp hazards-national-grid.shx hazards-national-grid.dbf hazards-national-grid.prj hazards-national-grid.cpg hazards-national-grid.zip
ogr2ogr -f "ESRI Shapefile" -t_srs "$NATIONAL_GRID" -lco ENCODING=UTF-8 -nln hazards-national-grid \
  hazards-national-grid.shp hazards-national-grid.geojson
zip -q -X hazards-national-grid.zip hazards-national-grid.shp hazards-national-grid.shx hazards-national-grid.dbf hazards-national-grid.prj hazards-national-grid.cpg

# 2. Finds from a handheld GPS as KMZ: doc.kml (written by hand below) zipped.
rm -f finds-gps.kmz
tmp=$(mktemp -d)
cp finds-gps.kml "$tmp/doc.kml"
(cd "$tmp" && zip -q -X finds-gps.kmz doc.kml)
mv "$tmp/finds-gps.kmz" .
rm -rf "$tmp"

# 3. Accidents marked as GPX waypoints (GDAL's GPX writer, as a GPS exchange tool writes them).
rm -f accidents-gps.gpx
ogr2ogr -f GPX -dsco GPX_USE_EXTENSIONS=NO -nln waypoints accidents-gps.gpx accidents-gps.csv \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326

# 4. Another tool's GeoPackage with two layers: finds in the national grid (a custom srs row) and survey tracks in WGS84.
rm -f survey-finds.gpkg
ogr2ogr -f GPKG -t_srs "$NATIONAL_GRID" -lco SPATIAL_INDEX=NO -nln finds_2024 survey-finds.gpkg survey-finds.csv \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES -s_srs EPSG:4326
ogr2ogr -f GPKG -update -lco SPATIAL_INDEX=NO -nln survey_tracks survey-finds.gpkg survey-tracks.geojson

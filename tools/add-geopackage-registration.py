"""Appends the GeoPackage registration calls to a freshly generated SQLite initial migration.

Used once when the initial SQLite migration is (re)generated; later migrations that add a layer call
GeoPackageSchema.RegisterFeatureTable themselves.
"""
import glob, sys
f = glob.glob(sys.argv[1] + '/*_Initial.cs')[0]
s = open(f).read()
if 'GeoPackageSchema.CreateMetadataTables' in s:
    sys.exit(0)
i = s.index("        protected override void Down")
j = s.rindex("        }\n", 0, i)
ins = '''
            // GeoPackage metadata: the layers GIS tools list. Tables not registered here (versions,
            // audit, submissions, personal data, EF's history) stay out of gpkg_contents on purpose.
            GeoPackageSchema.CreateMetadataTables(migrationBuilder);
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "places", "GEOMETRY", "gazetteer: country, regions, districts, municipalities, villages");
            GeoPackageSchema.RegisterAttributesTable(migrationBuilder, "organisations", "national authority, operators and teams");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "lines", "MULTILINESTRING", "former front lines, roads, rivers");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "hazards", "MULTIPOLYGON", "hazardous areas (IMAS 04.10), current approved state");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "minefield_records", "GEOMETRY", "minefield records handed over by a party");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "activities", "MULTIPOLYGON", "survey, clearance and other activities");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "land_release", "MULTIPOLYGON", "land released: cancelled, reduced, cleared (IMAS 07.11)");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "finds", "POINT", "explosive ordnance finds");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "accidents", "POINT", "mine/ERW and demining accidents (IMAS 10.60)");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "casualties", "POINT", "casualties (personal data is encrypted elsewhere)");
'''
s = s[:j] + ins + s[j:]
s = s.replace("using Microsoft.EntityFrameworkCore.Migrations;", "using Groundtruth.Application.Storage;\nusing Microsoft.EntityFrameworkCore.Migrations;", 1)
open(f, 'w').write(s)

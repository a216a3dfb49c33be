#!/usr/bin/env bash
# Writes tests/data/registers/odk-collect-instances/: submissions of Groundtruth's field forms as ODK Collect keeps
# them (instances/<form>_<time>/<form>_<time>.xml), with fictional values in the open South Atlantic. They reference
# the fixture programme (tests/data/programme: hazardous area H1, technical survey A1).
set -euo pipefail
cd "$(dirname "$0")"
out=odk-collect-instances
rm -rf "$out"
write() { mkdir -p "$out/$1"; cat > "$out/$1/$1.xml"; }

write groundtruth_accidents_2024-05-02_09-14-03 <<'XML'
<?xml version='1.0' ?>
<data id="groundtruth_accidents" version="777cd49f61" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
  <occurred_on>2024-05-02</occurred_on>
  <location>-35.25 -15.5 12.0 4.5</location>
  <kind>mine_erw</kind>
  <device_category>anti_personnel_mine</device_category>
  <device_model>Fictional AP-1</device_model>
  <source>Tollan district office</source>
  <casualties>
    <outcome>injured</outcome>
    <sex>female</sex>
    <age>12</age>
    <status>civilian</status>
    <occupation>pupil</occupation>
    <activity>collecting firewood</activity>
    <device_handled>no</device_handled>
    <source/>
  </casualties>
  <casualties>
    <outcome>killed</outcome>
    <sex>male</sex>
    <age/>
    <age_group>adult</age_group>
    <status>civilian</status>
    <occupation/>
    <activity>herding</activity>
    <device_handled>yes</device_handled>
    <source/>
  </casualties>
  <meta>
    <instanceID>uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001</instanceID>
  </meta>
</data>
XML

write groundtruth_accidents_2024-06-11_15-40-22 <<'XML'
<?xml version='1.0' ?>
<data id="groundtruth_accidents" version="777cd49f61">
  <occurred_on>2024-06-11</occurred_on>
  <location>-35.31 -15.62 0.0 8.0</location>
  <kind>demining</kind>
  <device_category>anti_vehicle_mine</device_category>
  <device_model/>
  <source/>
  <casualties>
    <outcome>injured</outcome>
    <sex>male</sex>
    <age>34</age>
    <status>deminer</status>
    <occupation>deminer</occupation>
    <activity>excavation</activity>
    <device_handled>yes</device_handled>
    <source/>
  </casualties>
  <meta>
    <instanceID>uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000002</instanceID>
  </meta>
</data>
XML

write groundtruth_hazards_2024-04-20_10-02-51 <<'XML'
<?xml version='1.0' ?>
<data id="groundtruth_hazards" version="5f2c52da5f">
  <name>Fictional west terrace</name>
  <classification>suspected</classification>
  <status>open</status>
  <status_reason/>
  <contamination>anti_personnel_mine uxo</contamination>
  <evidence>mines reported by a herder</evidence>
  <recorded_on>2024-04-20</recorded_on>
  <perimeter>-35.2 -15.4 0 5;-35.2 -15.41 0 5;-35.21 -15.41 0 5;-35.21 -15.4 0 5;-35.2 -15.4 0 5</perimeter>
  <source>Tollan district office</source>
  <derived_from/>
  <meta>
    <instanceID>uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000003</instanceID>
  </meta>
</data>
XML

write groundtruth_finds_2024-04-25_08-30-00 <<'XML'
<?xml version='1.0' ?>
<data id="groundtruth_finds" version="89fbe0afc9">
  <found_on>2024-04-25</found_on>
  <location>-31.115 -24.575 40.0 3.0</location>
  <category>anti_personnel_mine</category>
  <model>Fictional AP-1</model>
  <quantity>3</quantity>
  <production_year>1986</production_year>
  <depth_cm>7.5</depth_cm>
  <booby_trapped>no</booby_trapped>
  <emplacement>emplaced</emplacement>
  <activity_id>A1</activity_id>
  <hazard_id>H1</hazard_id>
  <meta>
    <instanceID>uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000004</instanceID>
  </meta>
</data>
XML

write groundtruth_land_release_2024-05-20_16-05-09 <<'XML'
<?xml version='1.0' ?>
<data id="groundtruth_land_release" version="a099fbaf5a">
  <activity_id>A1</activity_id>
  <hazard_id>H1</hazard_id>
  <method>reduced</method>
  <released_on>2024-05-20</released_on>
  <perimeter>-31.12 -24.58 0 3;-31.12 -24.575 0 3;-31.115 -24.575 0 3;-31.115 -24.58 0 3</perimeter>
  <depth_cm>13</depth_cm>
  <meta>
    <instanceID>uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000005</instanceID>
  </meta>
</data>
XML
echo "wrote $(find "$out" -name '*.xml' | wc -l) submissions in $out"

#!/usr/bin/env bash
# Writes groundtruth-forms/: exports of Groundtruth's four field forms as the form servers write them, with fictional values in the
# open South Atlantic (the same submissions as odk-collect-instances/, which make-odk-collect-instances.sh writes):
#   kobo-<form>.xlsx         KoboToolbox "XLS" export: the main sheet named after the form title (31 characters),
#                            the casualties repeat on its own sheet linked by _index/_parent_index, geopoints as
#                            "lat lon alt accuracy" plus _location_latitude/_longitude/_altitude/_precision
#   odk-central-<form>.zip   ODK Central "CSV zip": <form_id>.csv and <form_id>-casualties.csv linked by
#                            KEY/PARENT_KEY, geopoints split into location-Latitude/-Longitude/-Altitude/-Accuracy
# (odk-collect-instances/ holds the same submissions.) They reference the fixture programme (tests/data/programme: hazardous area H1, technical survey A1).
# Needs ogr2ogr (gdal-bin) and zip.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p groundtruth-forms
cd groundtruth-forms
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

kobo() { # kobo NAME SHEET CSV [REPEAT_CSV]
  rm -f "kobo-$1.xlsx"
  ogr2ogr -f XLSX "kobo-$1.xlsx" "$3" -nln "$2" -oo AUTODETECT_TYPE=YES
  if [ $# -ge 4 ]; then ogr2ogr -f XLSX -update "kobo-$1.xlsx" "$4" -nln casualties -oo AUTODETECT_TYPE=YES; fi
}
central() { # central NAME FILE...
  rm -f "odk-central-$1.zip"
  (cd "$work" && zip -q -X "$OLDPWD/odk-central-$1.zip" "${@:2}")
}

meta_kobo='__version__,_id,_uuid,_submission_time,_validation_status,_notes,_status,_submitted_by,_tags,_index'
meta_central='KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion'

# Accidents with their casualties.
cat > "$work/kobo-accidents.csv" <<CSV
start,end,occurred_on,location,_location_latitude,_location_longitude,_location_altitude,_location_precision,kind,device_category,device_model,source,$meta_kobo
2024-05-02T09:01:10.000+00:00,2024-05-02T09:14:03.000+00:00,2024-05-02,-35.25 -15.5 12.0 4.5,-35.25,-15.5,12.0,4.5,mine_erw,anti_personnel_mine,Fictional AP-1,Tollan district office,vK1,101,2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,2024-05-02T10:00:00,,,submitted_via_web,team1,,1
2024-06-11T15:30:00.000+00:00,2024-06-11T15:40:22.000+00:00,2024-06-11,-35.31 -15.62 0.0 8.0,-35.31,-15.62,0.0,8.0,demining,anti_vehicle_mine,,,vK1,102,2f0c6a52-8d1e-4c7e-9a51-0c1d00000002,2024-06-11T16:00:00,,,submitted_via_web,team1,,2
CSV
cat > "$work/kobo-casualties.csv" <<'CSV'
outcome,sex,age,age_group,status,occupation,activity,device_handled,source,_index,_parent_table_name,_parent_index,_submission__id,_submission__uuid,_submission__submission_time,_submission__validation_status,_submission__notes,_submission__status,_submission__submitted_by,_submission___version__,_submission__tags
injured,female,12,,civilian,pupil,collecting firewood,no,,1,Groundtruth accident and casual,1,101,2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,2024-05-02T10:00:00,,,submitted_via_web,team1,vK1,
killed,male,,adult,civilian,,herding,yes,,2,Groundtruth accident and casual,1,101,2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,2024-05-02T10:00:00,,,submitted_via_web,team1,vK1,
injured,male,34,,deminer,deminer,excavation,yes,,3,Groundtruth accident and casual,2,102,2f0c6a52-8d1e-4c7e-9a51-0c1d00000002,2024-06-11T16:00:00,,,submitted_via_web,team1,vK1,
CSV
kobo accidents "Groundtruth accident and casual" "$work/kobo-accidents.csv" "$work/kobo-casualties.csv"
cat > "$work/groundtruth_accidents.csv" <<CSV
SubmissionDate,occurred_on,location-Latitude,location-Longitude,location-Altitude,location-Accuracy,kind,device_category,device_model,source,meta-instanceID,$meta_central
2024-05-02T10:00:00.000Z,2024-05-02,-35.25,-15.5,12,4.5,mine_erw,anti_personnel_mine,Fictional AP-1,Tollan district office,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,5,team1,0,0,,approved,collect:Fictional1,0,777cd49f61
2024-06-11T16:00:00.000Z,2024-06-11,-35.31,-15.62,0,8,demining,anti_vehicle_mine,,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000002,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000002,5,team1,0,0,,approved,collect:Fictional1,0,777cd49f61
CSV
cat > "$work/groundtruth_accidents-casualties.csv" <<'CSV'
outcome,sex,age,age_group,status,occupation,activity,device_handled,source,PARENT_KEY,KEY
injured,female,12,,civilian,pupil,collecting firewood,no,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001/casualties[1]
killed,male,,adult,civilian,,herding,yes,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000001/casualties[2]
injured,male,34,,deminer,deminer,excavation,yes,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000002,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000002/casualties[1]
CSV
central accidents groundtruth_accidents.csv groundtruth_accidents-casualties.csv

# Hazardous areas.
cat > "$work/kobo-hazards.csv" <<CSV
start,end,name,classification,status,status_reason,contamination,evidence,recorded_on,perimeter,source,derived_from,$meta_kobo
2024-04-20T09:50:00.000+00:00,2024-04-20T10:02:51.000+00:00,Fictional west terrace,suspected,open,,anti_personnel_mine uxo,mines reported by a herder,2024-04-20,-35.2 -15.4 0 5;-35.2 -15.41 0 5;-35.21 -15.41 0 5;-35.21 -15.4 0 5;-35.2 -15.4 0 5,Tollan district office,,vK2,201,2f0c6a52-8d1e-4c7e-9a51-0c1d00000003,2024-04-20T11:00:00,,,submitted_via_web,team1,,1
CSV
kobo hazards "Groundtruth hazardous area" "$work/kobo-hazards.csv"
cat > "$work/groundtruth_hazards.csv" <<CSV
SubmissionDate,name,classification,status,status_reason,contamination,evidence,recorded_on,perimeter,source,derived_from,meta-instanceID,$meta_central
2024-04-20T11:00:00.000Z,Fictional west terrace,suspected,open,,anti_personnel_mine uxo,mines reported by a herder,2024-04-20,-35.2 -15.4 0 5;-35.2 -15.41 0 5;-35.21 -15.41 0 5;-35.21 -15.4 0 5;-35.2 -15.4 0 5,Tollan district office,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000003,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000003,5,team1,0,0,,approved,collect:Fictional1,0,5f2c52da5f
CSV
central hazards groundtruth_hazards.csv

# Finds.
cat > "$work/kobo-finds.csv" <<CSV
start,end,found_on,location,_location_latitude,_location_longitude,_location_altitude,_location_precision,category,model,quantity,production_year,markings,condition,depth_cm,fuze,booby_trapped,emplacement,context,disposal,activity_id,hazard_id,source,$meta_kobo
2024-04-25T08:20:00.000+00:00,2024-04-25T08:30:00.000+00:00,2024-04-25,-31.115 -24.575 40.0 3.0,-31.115,-24.575,40.0,3.0,anti_personnel_mine,Fictional AP-1,3,1986,,,7.5,,no,emplaced,,,A1,H1,,vK3,301,2f0c6a52-8d1e-4c7e-9a51-0c1d00000004,2024-04-25T09:00:00,,,submitted_via_web,team1,,1
CSV
kobo finds "Groundtruth find" "$work/kobo-finds.csv"
cat > "$work/groundtruth_finds.csv" <<CSV
SubmissionDate,found_on,location-Latitude,location-Longitude,location-Altitude,location-Accuracy,category,model,quantity,production_year,markings,condition,depth_cm,fuze,booby_trapped,emplacement,context,disposal,activity_id,hazard_id,source,meta-instanceID,$meta_central
2024-04-25T09:00:00.000Z,2024-04-25,-31.115,-24.575,40,3,anti_personnel_mine,Fictional AP-1,3,1986,,,7.5,,no,emplaced,,,A1,H1,,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000004,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000004,5,team1,0,0,,approved,collect:Fictional1,0,89fbe0afc9
CSV
central finds groundtruth_finds.csv

# Land release.
cat > "$work/kobo-land-release.csv" <<CSV
start,end,activity_id,hazard_id,method,released_on,perimeter,depth_cm,$meta_kobo
2024-05-20T15:50:00.000+00:00,2024-05-20T16:05:09.000+00:00,A1,H1,reduced,2024-05-20,-31.12 -24.58 0 3;-31.12 -24.575 0 3;-31.115 -24.575 0 3;-31.115 -24.58 0 3;-31.12 -24.58 0 3,13,vK4,401,2f0c6a52-8d1e-4c7e-9a51-0c1d00000005,2024-05-20T17:00:00,,,submitted_via_web,team1,,1
CSV
kobo land-release "Groundtruth land release" "$work/kobo-land-release.csv"
cat > "$work/groundtruth_land_release.csv" <<CSV
SubmissionDate,activity_id,hazard_id,method,released_on,perimeter,depth_cm,meta-instanceID,$meta_central
2024-05-20T17:00:00.000Z,A1,H1,reduced,2024-05-20,-31.12 -24.58 0 3;-31.12 -24.575 0 3;-31.115 -24.575 0 3;-31.115 -24.58 0 3;-31.12 -24.58 0 3,13,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000005,uuid:2f0c6a52-8d1e-4c7e-9a51-0c1d00000005,5,team1,0,0,,approved,collect:Fictional1,0,a099fbaf5a
CSV
central land-release groundtruth_land_release.csv
echo "wrote $(ls kobo-*.xlsx odk-central-*.zip | wc -l) field-form exports"

#!/usr/bin/env python3
"""Writes the synthetic casualty registers of tests/data/registers (fictional people and places in the open
South Atlantic). Deterministic: run `python3 make-registers.py` here to regenerate them byte for byte."""
import random

rng = random.Random(12)

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
SHORT = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]
PLACES = ["Amberfield", "Brisk Hollow", "Tollan", "Veloria Sur"]
ACTIVITIES = ["Recolección de leña", "Pastoreo", "Agricultura", "Tránsito por camino", "Desminado humanitario", ""]
OUTCOMES = ["Muerto", "Herido", "Herido", "Herida", "Muerta", "Desaparecido"]

def row(i):
    year = rng.randint(1998, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28) if rng.random() > 0.2 else None
    month_text = MONTHS[month - 1] if rng.random() > 0.3 else SHORT[month - 1].capitalize()
    sex = rng.choice(["Hombre", "Hombre", "Mujer", "Sin información"])
    age = rng.randint(6, 70) if rng.random() > 0.15 else None
    status = rng.choice(["Civil", "Civil", "Civil", "Militar", "Desminador"])
    outcome = rng.choice(OUTCOMES)
    lon = round(-24.9 + rng.random() * 1.3, 4)
    lat = round(-31.9 + rng.random() * 1.0, 4)
    return {
        "Año": f"{year // 1000}.{year % 1000:03d}",  # thousands separator, as the register writes it
        "Mes": month_text,
        "Día": "" if day is None else str(day),
        "Municipio": rng.choice(PLACES),
        "Condición": status,
        "Estado": outcome,
        "Sexo": sex,
        "Edad": "" if age is None else str(age),
        "Actividad": rng.choice(ACTIVITIES),
        "Longitud": f"{lon:.4f}".replace(".", ","),
        "Latitud": f"{lat:.4f}".replace(".", ","),
    }

HEADER = ["Año", "Mes", "Día", "Municipio", "Condición", "Estado", "Sexo", "Edad", "Actividad", "Longitud", "Latitud"]
rows = [row(i) for i in range(40)]
# Two casualties of one accident alike in every key column: their generated ids are numbered in file order.
rows.append(dict(rows[5]))

def write(path, rows):
    with open(path, "w", encoding="latin-1", newline="") as f:
        f.write(";".join(HEADER) + "\r\n")
        for r in rows:
            f.write(";".join(r[h] for h in HEADER) + "\r\n")

write("casualty-register-latin1.csv", rows)

# A later delivery of the same register: three rows corrected (outcome, activity), two added, the rest as before.
later = [dict(r) for r in rows]
later[2]["Estado"] = "Muerto" if later[2]["Estado"] != "Muerto" else "Herido"
later[7]["Actividad"] = "Pastoreo de cabras"
later[11]["Estado"] = "Muerta" if later[11]["Estado"] != "Muerta" else "Herida"
later += [row(100), row(101)]
write("casualty-register-latin1-later.csv", later)

# A UTF-16 (little-endian, byte order mark) tab-separated register from a French-speaking programme, with its own ids.
FR_OUTCOME = {"Muerto": "Tué", "Muerta": "Tuée", "Herido": "Blessé", "Herida": "Blessée", "Desaparecido": "Blessé"}
FR_SEX = {"Hombre": "Homme", "Mujer": "Femme", "Sin información": "Inconnu"}
lines = ["Identifiant\tDate de l'accident\tIssue\tSexe\tÂge\tStatut\tLongitude\tLatitude"]
for i, r in enumerate(rows[:12]):
    year = int(r["Año"].replace(".", ""))
    day = int(r["Día"] or 1)
    month = (MONTHS.index(r["Mes"]) if r["Mes"] in MONTHS else SHORT.index(r["Mes"].lower())) + 1
    status = {"Civil": "Civil", "Militar": "Militaire", "Desminador": "Démineur"}[r["Condición"]]
    lines.append("\t".join([f"VS-{i + 1:03d}", f"{day:02d}/{month:02d}/{year}", FR_OUTCOME[r["Estado"]], FR_SEX[r["Sexo"]], r["Edad"],
                            status, r["Longitud"].replace(",", "."), r["Latitud"].replace(",", ".")]))
with open("casualty-register-utf16.tsv", "w", encoding="utf-16", newline="") as f:
    f.write("\r\n".join(lines) + "\r\n")

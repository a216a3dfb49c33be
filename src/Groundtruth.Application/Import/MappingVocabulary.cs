namespace Groundtruth.Application.Import;

/// <summary>
/// Words registers use for Groundtruth's columns and enum values, in English, French, Spanish, Portuguese, Arabic,
/// Ukrainian and Russian: what <see cref="MappingSuggester"/> matches headers and values against (after <see cref="TextKeys.Fold"/>).
/// </summary>
internal static class MappingVocabulary
{
    // Declared first: the tables below use it while the class initialises.
    private static readonly string[] Unknown = ["unknown", "not known", "n a", "na", "nd", "desconocido", "desconocida", "sin informacion", "sin dato",
        "no sabe", "inconnu", "inconnue", "non connu", "desconhecido", "desconhecida", "неизвестно", "невідомо", "غير معروف"];

    /// <summary>Field (or geometry/date-part target) → words for it. A header equal to a word matches; a header containing it matches less surely.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Columns = new Dictionary<string, string[]>
    {
        ["id"] = ["id", "identifier", "record id", "case id", "case number", "record number", "identificador", "codigo", "numero de caso", "id victima",
            "identifiant", "numero", "reference", "codigo do caso", "identificacao", "идентификатор", "номер", "код", "ідентифікатор", "المعرف", "الرقم", "رقم"],
        ["accident_id"] = ["accident id", "accident", "accident number", "incident id", "id accidente", "accidente", "id evento", "evento", "incidente",
            "id de l accident", "numero accident", "acidente", "id acidente", "номер аварии", "инцидент", "інцидент", "رقم الحادث", "الحادث"],
        ["occurred_on"] = ["occurred on", "date", "date of accident", "date of incident", "accident date", "incident date", "fecha", "fecha del accidente",
            "fecha del evento", "fecha de ocurrencia", "date de l accident", "date de l incident", "data", "data do acidente", "дата", "дата инцидента",
            "дата происшествия", "дата події", "التاريخ", "تاريخ الحادث"],
        ["found_on"] = ["found on", "date found", "date of find", "fecha de hallazgo", "date de decouverte", "data da descoberta", "дата находки", "дата знахідки", "تاريخ العثور"],
        ["recorded_on"] = ["recorded on", "date recorded", "fecha de registro", "date d enregistrement", "data de registo", "data de registro", "дата регистрации", "дата реєстрації", "تاريخ التسجيل"],
        ["outcome"] = ["outcome", "result", "fate", "killed or injured", "killed injured", "resultado", "estado", "estado de la victima", "muerto herido",
            "etat", "bilan", "issue", "desfecho", "estado da vitima", "situacao", "исход", "результат", "состояние", "наслідок", "стан", "النتيجة", "الحالة"],
        ["sex"] = ["sex", "gender", "sexo", "genero", "sexe", "genre", "пол", "стать", "الجنس", "النوع"],
        ["age"] = ["age", "age years", "edad", "idade", "возраст", "вік", "العمر", "السن"],
        ["age_group"] = ["age group", "grupo de edad", "grupo etario", "rango de edad", "groupe d age", "tranche d age", "faixa etaria", "grupo etario",
            "возрастная группа", "вікова група", "الفئة العمرية"],
        ["status"] = ["status", "condicion", "condition", "statut", "tipo de victima", "civil militar", "civilian military", "condicao", "статус",
            "категория", "категорія", "الصفة"],
        ["occupation"] = ["occupation", "profession", "job", "ocupacion", "profesion", "metier", "ocupacao", "profissao", "профессия", "род занятий",
            "професія", "рід занять", "المهنة"],
        ["activity"] = ["activity", "activity at the time", "actividad", "activite", "atividade", "деятельность", "занятие", "діяльність", "النشاط"],
        ["device_handled"] = ["device handled", "handled", "handling", "manipulacion", "manipulo el artefacto", "manipulation", "manipulacao", "обращение с предметом", "поводження з предметом", "العبث بالجسم"],
        ["source"] = ["source", "sources", "reported by", "fuente", "fuentes", "fonte", "источник", "джерело", "المصدر"],
        ["name"] = ["name", "full name", "nombre", "nombre completo", "nom", "nom complet", "nome", "nome completo", "имя", "фио", "ім я", "піб", "الاسم"],
        ["date_of_birth"] = ["date of birth", "birth date", "fecha de nacimiento", "date de naissance", "data de nascimento", "дата рождения", "дата народження", "تاريخ الميلاد"],
        ["injuries"] = ["injuries", "injury", "lesiones", "lesion", "blessures", "blessure", "lesoes", "ferimentos", "травмы", "травми", "الإصابات", "الاصابات"],
        ["kind"] = ["kind", "type of accident", "accident type", "tipo de accidente", "type d accident", "tipo de acidente", "тип аварии", "тип події", "نوع الحادث"],
        ["category"] = ["category", "device category", "device type", "type of device", "categoria", "tipo de artefacto", "categorie", "type d engin", "tipo de engenho",
            "категория предмета", "категорія", "فئة الجسم"],
        ["device_category"] = ["device category", "device type", "tipo de artefacto", "type d engin", "tipo de engenho", "тип боеприпаса", "тип боєприпасу", "نوع الجسم"],
        ["device_model"] = ["device model", "model of device", "modelo del artefacto", "modele d engin", "modelo do engenho", "модель боеприпаса", "модель боєприпасу", "طراز الجسم"],
        ["model"] = ["model", "modelo", "modele", "модель", "الطراز"],
        ["quantity"] = ["quantity", "qty", "count", "number of items", "cantidad", "quantite", "nombre", "quantidade", "количество", "кількість", "الكمية", "العدد"],
        ["location_accuracy_m"] = ["location accuracy m", "accuracy", "accuracy m", "precision", "precision m", "precisao", "точность", "точність", "الدقة"],
        ["classification"] = ["classification", "clasificacion", "classificacao", "классификация", "класифікація", "التصنيف"],
        ["lon"] = ["lon", "long", "lng", "longitude", "longitud", "долгота", "довгота", "خط الطول"],
        ["lat"] = ["lat", "latitude", "latitud", "широта", "خط العرض"],
        ["x"] = ["x", "easting", "este", "est", "coord x", "coordenada x", "coordonnee x"],
        ["y"] = ["y", "northing", "norte", "nord", "coord y", "coordenada y", "coordonnee y"],
        ["wkt"] = ["wkt", "geometry", "geom", "the geom", "shape", "geometria", "geometrie", "геометрия", "геометрія"],
        [".year"] = ["year", "ano", "anio", "annee", "ano do acidente", "ano del accidente", "год", "рік", "السنة", "العام", "سنة"],
        [".month"] = ["month", "mes", "mois", "месяц", "місяць", "الشهر", "شهر"],
        [".day"] = ["day", "dia", "jour", "день", "اليوم", "يوم"],
    };

    /// <summary>Enum type name → (value → words for it).</summary>
    public static readonly IReadOnlyDictionary<string, Dictionary<string, string[]>> Values = new Dictionary<string, Dictionary<string, string[]>>
    {
        ["CasualtyOutcome"] = new()
        {
            ["killed"] = ["killed", "dead", "died", "death", "fatal", "fatality", "muerto", "muerta", "fallecido", "fallecida", "muerte", "mort", "morte",
                "tue", "tuee", "decede", "decedee", "morto", "morta", "falecido", "falecida", "obito", "убит", "убита", "погиб", "погибла", "погибший",
                "загинув", "загинула", "загиблий", "вбитий", "قتيل", "متوفى", "مقتول", "وفاة"],
            ["injured"] = ["injured", "wounded", "hurt", "injury", "herido", "herida", "lesionado", "lesionada", "blesse", "blessee", "ferido", "ferida",
                "ранен", "ранена", "раненый", "поранений", "поранена", "травмований", "جريح", "مصاب"],
            ["unknown"] = Unknown,
        },
        ["Sex"] = new()
        {
            ["male"] = ["male", "m", "man", "men", "boy", "hombre", "masculino", "varon", "nino", "h", "homme", "masculin", "garcon", "homem", "menino",
                "мужской", "мужчина", "муж", "м", "чоловік", "чоловіча", "чоловіча стать", "ч", "ذكر"],
            ["female"] = ["female", "f", "woman", "women", "girl", "mujer", "femenino", "nina", "femme", "feminin", "fille", "mulher", "feminino", "menina",
                "женский", "женщина", "жен", "ж", "жінка", "жіноча", "أنثى", "انثى"],
            ["unknown"] = Unknown,
        },
        ["AgeGroup"] = new()
        {
            ["child"] = ["child", "children", "minor", "menor", "menor de edad", "nino", "nina", "enfant", "mineur", "crianca", "menor de idade",
                "ребенок", "несовершеннолетний", "дитина", "неповнолітній", "طفل", "قاصر"],
            ["adult"] = ["adult", "adulto", "adulta", "mayor de edad", "adulte", "majeur", "maior de idade", "взрослый", "дорослий", "بالغ", "راشد"],
            ["unknown"] = Unknown,
        },
        ["CasualtyStatus"] = new()
        {
            ["civilian"] = ["civilian", "civil", "civilians", "poblacion civil", "civile", "civis", "гражданский", "мирный житель", "цивільний", "مدني"],
            ["military"] = ["military", "militar", "fuerza publica", "soldier", "soldado", "militaire", "soldat", "militares", "военный", "военнослужащий",
                "військовий", "عسكري"],
            ["deminer"] = ["deminer", "desminador", "demineur", "sapador", "desminador humanitario", "сапер", "демінер", "مزيل ألغام", "مزيل الالغام"],
            ["unknown"] = Unknown,
        },
    };

    /// <summary>Words for yes and no, for boolean columns.</summary>
    public static readonly Dictionary<string, string[]> Booleans = new()
    {
        ["true"] = ["true", "yes", "y", "1", "si", "oui", "sim", "да", "так", "نعم"],
        ["false"] = ["false", "no", "n", "0", "non", "nao", "нет", "ні", "لا"],
    };
}

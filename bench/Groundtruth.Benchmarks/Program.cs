using Groundtruth.Benchmarks;

// Opt-in benchmarks (never run in CI). Figures go to stdout as one JSON line per measurement;
// progress and a readable summary go to stderr. docs/benchmarks.md records how to run them and the results.
try
{
    return args.FirstOrDefault() switch
    {
        "import" => await new ImportBench(ImportOptions.Parse(args[1..])).RunAsync(),
        "stats" => await StatsBench.RunAsync(args[1..]),
        "join" => await new JoinBench(JoinOptions.Parse(args[1..])).RunAsync(),
        "risk" => await RiskBench.RunAsync(args[1..]),
        "overlay" => await OverlayBench.RunAsync(args[1..]),
        "fuzz" => await FuzzImport.RunAsync(args[1..]),
        "e2e" => await new Groundtruth.Benchmarks.E2e.E2eBench(Groundtruth.Benchmarks.E2e.E2eOptions.Parse(args[1..])).RunAsync(),
        "crash" => await CrashLoop.RunAsync(CrashOptions.Parse(args[1..])),
        CrashLoop.WorkerCommand => await CrashLoop.RunWorkerAsync(args[1..]),
        MemoryProbe.ChildCommand => await MemoryProbe.RunChildAsync(args[1..]),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Groundtruth.Benchmarks import [--rows N[,N...]] [--pg CONNSTRING] [--backend gpkg|pg|all]
                                             [--warmup N] [--repeat N] [--wait-idle S] [--memory | --profile] [--dir DIR] [--keep] [--pg-first-load R]

          --rows      finds per CSV; 100k and 1M style suffixes work; a list runs each size (default 1000000)
          --pg        PostgreSQL/PostGIS connection string (default: $GROUNDTRUTH_TEST_PG); a fresh database
                      named <Database>_bench_<pid>_<n> is created for every run and dropped afterwards
          --backend   which stores to measure (default: gpkg, plus pg when a connection string is known)
          --warmup    rows of the untimed warm-up run of import and baseline on every backend (default 10000, 0 = none)
          --repeat    timed runs per size and backend (default 1); with more than one, a summary line gives
                      medians and best-of-N figures
          --wait-idle before each timed section, wait up to S seconds for a one-second window in which the
                      machine is ≥ 90 % idle (default 120, 0 = don't wait); other processes' CPU time during
                      each section is reported as foreign_cpu_s
          --memory    instead of timing: run only the import, in a fresh child process per size and backend,
                      and report its peak working set (VmHWM)
          --profile   instead of timing against the baseline: run an instrumented replica of the import that
                      times each step (read, parse, rules, build row, stage, merge statements); uses internals
          --dir       where CSVs and GeoPackages go (default: a new directory under the temp dir, deleted after)
          --keep      keep the files and the PostgreSQL databases
          --pg-first-load  how a first load into an empty PostgreSQL layer is written, for a before/after:
                      direct (default: by COPY straight into the tables while the file is read), staged (into an
                      unlogged table, then copied at the merge), insert-select (staged, then INSERT … SELECT);
                      --pg-insert-select is --pg-first-load insert-select

               Groundtruth.Benchmarks overlay [--scale N] [--releases N] [--pg CONNSTRING]
                 land release outputs intersected with hazardous areas, m² by method, against PostGIS

               Groundtruth.Benchmarks risk [--cell M] [--side KM] [--no-gdal] [--dir DIR]
                 risk map of a ~11,667 km² programme (all layers, training, inference) and GDAL's proximity on the same grid

        """ + JoinOptions.Usage + Groundtruth.Benchmarks.E2e.E2eOptions.Usage + CrashOptions.Usage + FuzzImport.Usage);
    return 2;
}

package org.hnswcodec.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hnsw-tool bench}: builds the same vectors with HnswCodec10 and with Lucene's
 * Lucene99HnswVectorsFormat (same M and efConstruction) in one JVM, sweeps ef on both, and reports
 * recall, QPS, latency, visited nodes, build and merge time and size, with the ratios between the
 * two, as a table, JSON lines and a recall-vs-QPS plot. With {@code --quantized}, the two formats'
 * scalar-quantized variants instead.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compare HnswCodec10 with Lucene99HnswVectorsFormat on a dataset: build both indexes with"
          + " the same M and efConstruction in this JVM, then sweep ef on both in interleaved"
          + " rounds, searching on one thread through IndexSearcher.",
      "For Lucene's format ef is applied as its users do: the query asks for k'=max(k,ef)"
          + " and the top k are kept.",
      "Writes a table to standard output, every row as JSON lines (--json) and a recall-vs-QPS"
          + " plot (--plot)."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Dataset (one of):%n")
  private DatasetChoice datasetChoice;

  /** A bundled dataset by name, or the three files of one. */
  static final class DatasetChoice {
    @Option(
        names = {"-d", "--dataset"},
        paramLabel = "NAME",
        description = "a bundled dataset under examples/data: " + Dataset.BUNDLED_NAMES)
    String name;

    @ArgGroup(exclusive = false)
    DatasetFiles files;
  }

  /** The files of a dataset given on the command line. */
  static final class DatasetFiles {
    @Option(
        names = "--base",
        required = true,
        paramLabel = "FILE",
        description = "base vectors (.fvecs, .npy, .jsonl)")
    Path base;

    @Option(
        names = "--queries",
        required = true,
        paramLabel = "FILE",
        description = "query vectors")
    Path queries;

    @Option(
        names = "--groundtruth",
        paramLabel = "FILE",
        description =
            ".ivecs: per query row, the nearest base rows, nearest first (not read, and not"
                + " needed, with --filter-percent or --grow-to, which compute their own)")
    Path groundTruth;
  }

  @Option(
      names = {"-s", "--similarity"},
      paramLabel = "SIMILARITY",
      description = "the similarity of --base files: ${COMPLETION-CANDIDATES}. Default: EUCLIDEAN")
  private VectorSimilarityFunction similarity;

  @Option(
      names = {"-M", "--max-conn"},
      paramLabel = "M",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_MAX_CONN,
      description = "M for both formats. Default: ${DEFAULT-VALUE}")
  private int maxConn;

  @Option(
      names = "--ef-construction",
      paramLabel = "N",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_BEAM_WIDTH,
      description = "efConstruction for both formats. Default: ${DEFAULT-VALUE}")
  private int efConstruction;

  @Option(
      names = "-k",
      paramLabel = "K",
      defaultValue = "10",
      description = "results per query. Default: ${DEFAULT-VALUE}")
  private int k;

  @Option(
      names = "--ef",
      split = ",",
      paramLabel = "EF",
      defaultValue = "10,16,24,32,48,64,96,128,192,256",
      description = "the ef values to sweep. Default: ${DEFAULT-VALUE}")
  private int[] efs;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "5",
      description = "timed rounds. Default: ${DEFAULT-VALUE}")
  private int rounds;

  @Option(
      names = "--passes",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "times a round runs the query set per format and ef, so that each timed pass lasts long"
              + " enough to measure. Default: ${DEFAULT-VALUE}")
  private int passes;

  @Option(
      names = "--warmup-rounds",
      paramLabel = "N",
      defaultValue = "2",
      description = "untimed rounds first. Default: ${DEFAULT-VALUE}")
  private int warmupRounds;

  @Option(
      names = "--build-rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "builds of each format; times are the medians, which from 3 rounds on leave out the"
              + " first one's JIT compilation. Default: ${DEFAULT-VALUE}")
  private int buildRounds;

  @Option(
      names = "--build-workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "threads that build one graph at once: both formats merge with N workers on a shared"
              + " pool; this project's format also flushes with them (Lucene's flushes on one"
              + " thread). Default: ${DEFAULT-VALUE}")
  private int buildWorkers;

  @Option(
      names = "--flush-mode",
      paramLabel = "MODE",
      defaultValue = "natural",
      converter = FlushMode.Converter.class,
      completionCandidates = FlushMode.Labels.class,
      description =
          "natural: flush several segments, then force-merge to one; one-segment: a single"
              + " flush. Default: ${DEFAULT-VALUE}")
  private FlushMode flushMode;

  @Option(
      names = "--max-buffered-docs",
      paramLabel = "N",
      description =
          "natural mode: flush every N documents. Default: a quarter of the base (4 segments)")
  private Integer maxBufferedDocs;

  @Option(
      names = "--ram-buffer-mb",
      paramLabel = "MB",
      description = "natural mode: flush when the buffer holds MB (instead of by document count)")
  private Double ramBufferMb;

  @Option(
      names = "--grow-to",
      paramLabel = "N",
      description =
          "index N rows grown from the base instead of the base itself: each a row of it drawn"
              + " at random (with replacement) plus Gaussian noise (--jitter), for a larger"
              + " segment than the bundled sets give; recall is measured against exact neighbours"
              + " computed by brute force, not against the ground-truth file")
  private Integer growTo;

  @Option(
      names = "--jitter",
      paramLabel = "F",
      description =
          "with --grow-to: the noise's standard deviation, as a fraction of the base's"
              + " per-component deviation (0.3 is about 10 on SIFT). Default: "
              + GrownBase.DEFAULT_JITTER)
  private Double jitter;

  @Option(
      names = "--target-recall",
      paramLabel = "RECALL",
      defaultValue = "0.95",
      description =
          "the recall at which QPS is interpolated and compared. Default: ${DEFAULT-VALUE}")
  private double targetRecall;

  @Option(
      names = "--filter-percent",
      paramLabel = "P",
      description =
          "restrict every search to P%% of the documents (a range over a bucket field hashed from"
              + " each row, indexed in both formats) and measure recall against the exact nearest"
              + " accepted rows, computed by brute force")
  private Integer filterPercent;

  @Option(
      names = "--filtered-search-threshold",
      paramLabel = "T",
      defaultValue = "0",
      description =
          "the filteredSearchThreshold of both formats' queries (Lucene's KnnSearchStrategy.Hnsw):"
              + " with a filter accepting fewer than T%% of a segment's documents, Lucene99 walks"
              + " its graph scoring only accepted documents (after ACORN-1); Elasticsearch and"
              + " OpenSearch pass 60. HnswCodec10 does not use it. Default: ${DEFAULT-VALUE},"
              + " Lucene's")
  private int filteredSearchThreshold;

  @Option(
      names = "--quantized",
      paramLabel = "ENCODING",
      description =
          "compare the scalar-quantized variants instead: HnswCodecScalarQuantized10 against"
              + " Lucene104HnswScalarQuantizedVectorsFormat, both quantizing with ENCODING, one of"
              + " ${COMPLETION-CANDIDATES}. Searches score the quantized vectors; recall is of"
              + " their hits as returned, not rescored")
  private ScalarEncoding quantized;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "JSON lines output. Default:"
              + " bench-DATASET[-grownN]-MODE[-filterP][-thresholdT][-quantized-ENCODING].jsonl")
  private Path jsonPath;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description =
          "PNG plot output. Default:"
              + " bench-DATASET[-grownN]-MODE[-filterP][-thresholdT][-quantized-ENCODING].png")
  private Path plotPath;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "where the indexes are built. Default: a new temporary directory")
  private Path workDir;

  @Option(names = "--keep-indexes", description = "keep the indexes rather than deleting them")
  private boolean keepIndexes;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter log = spec.commandLine().getErr();
    Dataset dataset = dataset();
    log.printf("reading %s%n", dataset.base());
    List<VectorRecord> base =
        VectorReader.readAll(dataset.base(), RowRange.ALL, JsonlReader.VECTOR_KEY);
    List<VectorRecord> queries =
        VectorReader.readAll(dataset.queries(), RowRange.ALL, JsonlReader.VECTOR_KEY);
    int dimension = base.getFirst().vector().length;
    if (queries.getFirst().vector().length != dimension) {
      throw new InputException(
          dataset.queries()
              + " has "
              + queries.getFirst().vector().length
              + "-d vectors; the base has "
              + dimension);
    }
    String growth = null;
    if (growTo != null) {
      double noise = jitter == null ? GrownBase.DEFAULT_JITTER : jitter;
      growth = GrownBase.describe(dataset.name(), growTo, noise);
      log.printf("%s%n", growth);
      base = GrownBase.grow(base, growTo, noise);
      dataset = dataset.grown(growTo);
    }
    int[][] truth;
    if (filterPercent != null) {
      truth = FilterBuckets.groundTruth(base, queries, dataset.similarity(), filterPercent, k);
    } else if (growTo != null) {
      truth = GroundTruth.exact(base, queries, dataset.similarity(), k);
    } else {
      truth = GroundTruth.read(dataset.groundTruth(), queries, k);
    }
    BenchBuild.FlushPolicy flush = flushPolicy(base.size());
    ToolDocuments documents =
        new ToolDocuments(
            ToolDocuments.VECTOR_FIELD, dataset.similarity(), filterPercent != null);
    Path root =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("hnsw-bench");
    List<OpenIndex> opened = new ArrayList<>();
    try {
      List<BenchBuild.Result> builds = buildAll(root, base, documents, flush, log);
      List<SearchSweep.Target> targets = new ArrayList<>();
      for (BenchBuild.Result build : builds) {
        OpenIndex index = OpenIndex.open(indexDir(root, build.format()));
        opened.add(index);
        IndexSearcher searcher = new IndexSearcher(index.reader());
        // Searches must each do their full work: no caching across repetitions.
        searcher.setQueryCache(null);
        targets.add(new SearchSweep.Target(build.format(), searcher, RowMap.load(index.reader())));
      }
      List<SearchSweep.Point> points =
          new SearchSweep(
                  ToolDocuments.VECTOR_FIELD,
                  queries,
                  truth,
                  k,
                  efs,
                  passes,
                  filterPercent == null ? null : FilterBuckets.filter(filterPercent),
                  filteredSearchThreshold)
              .run(targets, warmupRounds, rounds, log);
      BenchReport report =
          new BenchReport(
              new BenchReport.Setup(
                  dataset,
                  base.size(),
                  dimension,
                  queries.size(),
                  truth[0].length,
                  maxConn,
                  efConstruction,
                  k,
                  rounds,
                  passes,
                  warmupRounds,
                  buildRounds,
                  flush.describe(),
                  flushMode,
                  buildWorkers,
                  filterPercent,
                  filteredSearchThreshold,
                  growth,
                  quantized),
              builds,
              points,
              targetRecall);
      report.printTable(out);
      Path json = output(jsonPath, dataset, "jsonl");
      Path plot = output(plotPath, dataset, "png");
      report.writeJsonLines(json);
      RecallQpsPlot.write(plot, report.title(), report.curves(), k, targetRecall);
      out.printf("%nwrote %s and %s%n", json, plot);
    } finally {
      IOUtils.close(opened);
      if (keepIndexes) {
        log.printf("indexes kept in %s%n", root);
      } else if (workDir != null) {
        IOUtils.rm(
            Arrays.stream(BenchFormat.values()).map(f -> indexDir(root, f)).toArray(Path[]::new));
      } else {
        IOUtils.rm(root);
      }
    }
    return 0;
  }

  /**
   * Builds each format's index {@code --build-rounds} times, alternating which format goes first so
   * that neither always runs on the colder JVM. The last round's indexes stay for searching.
   */
  private List<BenchBuild.Result> buildAll(
      Path root,
      List<VectorRecord> base,
      ToolDocuments documents,
      BenchBuild.FlushPolicy flush,
      PrintWriter log)
      throws IOException {
    Map<BenchFormat, List<BenchBuild.Round>> rounds = new EnumMap<>(BenchFormat.class);
    List<BenchFormat> formats = List.of(BenchFormat.values());
    try (BuildWorkers workers = BuildWorkers.of(buildWorkers)) {
      for (int round = 0; round < buildRounds; round++) {
        for (BenchFormat format : round % 2 == 0 ? formats : formats.reversed()) {
          Path dir = indexDir(root, format);
          log.printf(
              "build round %d of %d: %s, %s, in %s%n",
              round + 1, buildRounds, format, flush.describe(), dir);
          IOUtils.rm(dir);
          // Start each build from a collected heap, so that none pays for another's garbage.
          System.gc();
          try (Directory directory = FSDirectory.open(dir)) {
            rounds
                .computeIfAbsent(format, f -> new ArrayList<>())
                .add(
                    BenchBuild.build(
                        format.codec(maxConn, efConstruction, workers, quantized),
                        directory,
                        base,
                        documents,
                        flush));
          }
        }
      }
    }
    return rounds.entrySet().stream()
        .map(e -> new BenchBuild.Result(e.getKey(), e.getValue()))
        .toList();
  }

  private Path indexDir(Path root, BenchFormat format) {
    return root.resolve(format + "-" + flushMode);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (k < 1) {
      problems.add("-k must be >= 1; got " + k);
    }
    if (efs.length == 0 || Arrays.stream(efs).anyMatch(ef -> ef < 1)) {
      problems.add("--ef values must be >= 1; got " + Arrays.toString(efs));
    }
    if (rounds < 1) {
      problems.add("--rounds must be >= 1; got " + rounds);
    }
    if (passes < 1) {
      problems.add("--passes must be >= 1; got " + passes);
    }
    if (buildRounds < 1) {
      problems.add("--build-rounds must be >= 1; got " + buildRounds);
    }
    if (buildWorkers < 1 || buildWorkers > HnswCodecVectorsFormat.MAX_BUILD_WORKERS) {
      problems.add(
          "--build-workers must be >= 1 and <= "
              + HnswCodecVectorsFormat.MAX_BUILD_WORKERS
              + "; got "
              + buildWorkers);
    }
    if (warmupRounds < 0) {
      problems.add("--warmup-rounds must be >= 0; got " + warmupRounds);
    }
    if (targetRecall <= 0 || targetRecall > 1) {
      problems.add("--target-recall must be in (0, 1]; got " + targetRecall);
    }
    if (flushMode == FlushMode.ONE_SEGMENT && (maxBufferedDocs != null || ramBufferMb != null)) {
      problems.add("--max-buffered-docs and --ram-buffer-mb apply to the natural flush mode only");
    }
    if (maxBufferedDocs != null && maxBufferedDocs < 2) {
      problems.add("--max-buffered-docs must be >= 2; got " + maxBufferedDocs);
    }
    if (ramBufferMb != null && (ramBufferMb <= 0 || ramBufferMb >= 2048)) {
      problems.add("--ram-buffer-mb must be > 0 and < 2048; got " + ramBufferMb);
    }
    if (filterPercent != null && (filterPercent < 1 || filterPercent > 99)) {
      problems.add("--filter-percent must be >= 1 and <= 99; got " + filterPercent);
    }
    if (growTo != null && growTo < k) {
      problems.add("--grow-to must be >= k (" + k + "); got " + growTo);
    }
    if (jitter != null && growTo == null) {
      problems.add("--jitter applies with --grow-to only");
    }
    if (jitter != null && (jitter < 0 || Double.isFinite(jitter) == false)) {
      problems.add("--jitter must be a finite number >= 0; got " + jitter);
    }
    if (datasetChoice.files != null
        && datasetChoice.files.groundTruth == null
        && filterPercent == null
        && growTo == null) {
      problems.add("--groundtruth is needed, unless --filter-percent or --grow-to computes it");
    }
    if (filteredSearchThreshold < 0 || filteredSearchThreshold > 100) {
      problems.add(
          "--filtered-search-threshold must be >= 0 and <= 100; got " + filteredSearchThreshold);
    }
    if (datasetChoice.name != null && similarity != null) {
      problems.add("--similarity applies to --base files; a bundled dataset has its own");
    }
    try {
      new HnswCodecVectorsFormat(maxConn, efConstruction);
    } catch (IllegalArgumentException e) {
      problems.add("invalid graph parameter: " + e.getMessage());
    }
    if (problems.isEmpty() == false) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    efs = Arrays.stream(efs).sorted().distinct().toArray();
  }

  private Dataset dataset() {
    if (datasetChoice.name != null) {
      return Dataset.bundled(datasetChoice.name, Dataset.repoRoot());
    }
    DatasetFiles files = datasetChoice.files;
    String name = files.base.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return new Dataset(
        name,
        files.base,
        files.queries,
        files.groundTruth,
        similarity == null ? VectorSimilarityFunction.EUCLIDEAN : similarity);
  }

  private BenchBuild.FlushPolicy flushPolicy(int baseSize) {
    if (flushMode == FlushMode.ONE_SEGMENT) {
      return BenchBuild.FlushPolicy.oneSegment();
    }
    int docs = IndexWriterConfig.DISABLE_AUTO_FLUSH;
    if (maxBufferedDocs != null) {
      docs = maxBufferedDocs;
    } else if (ramBufferMb == null) {
      docs = Math.max(2, (baseSize + 3) / 4);
    }
    double mb = ramBufferMb == null ? IndexWriterConfig.DISABLE_AUTO_FLUSH : ramBufferMb;
    return new BenchBuild.FlushPolicy(FlushMode.NATURAL, docs, mb);
  }

  private Path output(Path given, Dataset dataset, String extension) {
    return given != null
        ? given
        : Path.of(
            "bench-"
                + dataset.name()
                + "-"
                + flushMode
                + (filterPercent == null ? "" : "-filter" + filterPercent)
                + (filteredSearchThreshold == 0 ? "" : "-threshold" + filteredSearchThreshold)
                + (quantized == null ? "" : "-quantized-" + quantized)
                + "."
                + extension);
  }
}

package org.hnswcodec.tool;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat;

/**
 * The bench's results: a table for people and JSON lines (one object per table row) for programs.
 * Ratios are ours/Lucene's: HNSW_CODEC over LUCENE99.
 */
final class BenchReport {

  /**
   * What the bench ran on and with.
   *
   * @param flush the flush mode, described
   * @param filterPercent the share of documents every search is restricted to, or null for all
   * @param filteredSearchThreshold the queries' {@code KnnSearchStrategy.Hnsw} threshold
   * @param growth how the base was grown from the dataset's ({@code bench --grow-to}), or null
   */
  record Setup(
      Dataset dataset,
      int baseVectors,
      int dimension,
      int queries,
      int truthK,
      int maxConn,
      int efConstruction,
      int k,
      int rounds,
      int passes,
      int warmupRounds,
      int buildRounds,
      String flush,
      FlushMode flushMode,
      int buildWorkers,
      Integer filterPercent,
      int filteredSearchThreshold,
      String growth,
      ScalarEncoding quantized) {}

  private final Setup setup;
  private final Map<BenchFormat, BenchBuild.Result> builds = new EnumMap<>(BenchFormat.class);
  private final Map<BenchFormat, List<SearchSweep.Point>> curves = new EnumMap<>(BenchFormat.class);
  private final double targetRecall;

  BenchReport(
      Setup setup,
      List<BenchBuild.Result> builds,
      List<SearchSweep.Point> points,
      double targetRecall) {
    this.setup = setup;
    this.targetRecall = targetRecall;
    for (BenchBuild.Result build : builds) {
      this.builds.put(build.format(), build);
    }
    for (SearchSweep.Point point : points) {
      curves.computeIfAbsent(point.format(), f -> new ArrayList<>()).add(point);
    }
  }

  Map<BenchFormat, List<SearchSweep.Point>> curves() {
    return curves;
  }

  String title() {
    return String.format(
        Locale.ROOT,
        "%s: %,d x %d-d %s, M=%d efC=%d, k=%d, %s%s%s",
        setup.dataset().name(),
        setup.baseVectors(),
        setup.dimension(),
        setup.dataset().similarity(),
        setup.maxConn(),
        setup.efConstruction(),
        setup.k(),
        setup.flushMode(),
        setup.filterPercent() == null ? "" : ", filter " + setup.filterPercent() + "%",
        setup.quantized() == null ? "" : ", quantized " + setup.quantized());
  }

  void printTable(PrintWriter out) {
    Setup s = setup;
    out.printf(
        Locale.ROOT,
        "bench %s: %,d base vectors x %d dims (%s), %d queries, ground truth k=%d%n",
        s.dataset().name(),
        s.baseVectors(),
        s.dimension(),
        s.dataset().similarity(),
        s.queries(),
        s.truthK());
    out.printf(
        Locale.ROOT,
        "M=%d efConstruction=%d k=%d; flush mode %s; %d build worker%s%n",
        s.maxConn(),
        s.efConstruction(),
        s.k(),
        s.flush(),
        s.buildWorkers(),
        s.buildWorkers() == 1 ? "" : "s");
    if (s.growth() != null) {
      out.printf(Locale.ROOT, "base: %s%n", s.growth());
    }
    if (s.quantized() != null) {
      out.printf(
          Locale.ROOT,
          "quantized %s: %s is %s, %s is %s; scores and recall are the quantized vectors'%n",
          s.quantized(),
          BenchFormat.HNSW_CODEC,
          HnswCodecScalarQuantizedVectorsFormat.NAME,
          BenchFormat.LUCENE99,
          Lucene104HnswScalarQuantizedVectorsFormat.class.getSimpleName());
    }
    if (s.filterPercent() != null) {
      out.printf(
          Locale.ROOT,
          "filter: %d%% of the documents (a range over a hashed bucket of each row), recall against"
              + " the exact nearest accepted rows; filtered search threshold %d%n",
          s.filterPercent(),
          s.filteredSearchThreshold());
    }
    out.printf(
        Locale.ROOT,
        "builds: median of %d rounds per format; searches: %d timed rounds of %d passes over the"
            + " queries after %d warm-up, one thread through IndexSearcher%n",
        s.buildRounds(),
        s.rounds(),
        s.passes(),
        s.warmupRounds());
    out.printf(
        Locale.ROOT,
        "Java %s, %d CPUs; CPU times are the whole process's (merge, JIT and GC threads"
            + " included)%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    out.println();
    BenchBuild.Result ours = builds.get(BenchFormat.HNSW_CODEC);
    BenchBuild.Result lucene = builds.get(BenchFormat.LUCENE99);
    out.printf(
        Locale.ROOT,
        "%-34s %14s %14s %12s%n",
        "index",
        BenchFormat.HNSW_CODEC,
        BenchFormat.LUCENE99,
        "ours/Lucene");
    buildRow(
        out,
        "segments after build",
        ours.segmentsAfterBuild(),
        lucene.segmentsAfterBuild(),
        "%,.0f");
    buildRow(
        out,
        "build wall s (add+flush+commit)",
        ours.build().wallSeconds(),
        lucene.build().wallSeconds(),
        "%.3f");
    buildRow(out, "build CPU s", ours.build().cpuSeconds(), lucene.build().cpuSeconds(), "%.3f");
    buildRow(
        out,
        "force-merge wall s",
        ours.merge().wallSeconds(),
        lucene.merge().wallSeconds(),
        "%.3f");
    buildRow(
        out, "force-merge CPU s", ours.merge().cpuSeconds(), lucene.merge().cpuSeconds(), "%.3f");
    buildRow(out, "index bytes", ours.indexBytes(), lucene.indexBytes(), "%,.0f");
    buildRow(out, "graph bytes (.vex)", ours.graphBytes(), lucene.graphBytes(), "%,.0f");
    buildRow(
        out,
        "graph bytes per vector",
        (double) ours.graphBytes() / s.baseVectors(),
        (double) lucene.graphBytes() / s.baseVectors(),
        "%.1f");
    out.println();
    out.printf(
        Locale.ROOT,
        "search, k=%d (%s: ef via EfSearchStrategy; %s: k'=max(k,ef), top k kept)%n",
        s.k(),
        BenchFormat.HNSW_CODEC,
        BenchFormat.LUCENE99);
    out.printf(
        Locale.ROOT,
        "%5s | %-56s | %-56s | %s%n",
        "",
        center(BenchFormat.HNSW_CODEC.toString(), 56),
        center(BenchFormat.LUCENE99.toString(), 56),
        "ours/Lucene");
    String columns =
        String.format(
            Locale.ROOT,
            "%7s %9s %9s %8s %8s %9s",
            "recall",
            "QPS",
            "CPU QPS",
            "p50 ms",
            "p99 ms",
            "visited");
    out.printf(Locale.ROOT, "%5s | %s | %s | %6s %7s%n", "ef", columns, columns, "QPS", "CPU QPS");
    List<SearchSweep.Point> ourCurve = curves.get(BenchFormat.HNSW_CODEC);
    List<SearchSweep.Point> luceneCurve = curves.get(BenchFormat.LUCENE99);
    for (int i = 0; i < ourCurve.size(); i++) {
      SearchSweep.Point a = ourCurve.get(i);
      SearchSweep.Point b = luceneCurve.get(i);
      out.printf(
          Locale.ROOT,
          "%5d | %s | %s | %6s %7s%n",
          a.ef(),
          pointColumns(a),
          pointColumns(b),
          ratio(a.qps(), b.qps()),
          ratio(a.cpuQps(), b.cpuQps()));
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "at recall@%d = %s (linear between the two ef that straddle it):%n",
        s.k(),
        targetRecall);
    atRecallRow(out, "QPS", ourCurve, luceneCurve, SearchSweep.Point::qps);
    atRecallRow(out, "CPU QPS", ourCurve, luceneCurve, SearchSweep.Point::cpuQps);
    out.printf(
        Locale.ROOT,
        "ratios ours/Lucene: build CPU %s, force-merge CPU %s, index bytes %s, graph bytes %s%n",
        ratio(ours.build().cpuSeconds(), lucene.build().cpuSeconds()),
        ratio(ours.merge().cpuSeconds(), lucene.merge().cpuSeconds()),
        ratio(ours.indexBytes(), lucene.indexBytes()),
        ratio(ours.graphBytes(), lucene.graphBytes()));
    out.println(
        "(QPS: wall clock, median of rounds; CPU QPS: per second of the search thread's CPU time,"
            + " which leaves out time other processes hold the CPU but not their effect on"
            + " caches)");
  }

  private void atRecallRow(
      PrintWriter out,
      String label,
      List<SearchSweep.Point> ourCurve,
      List<SearchSweep.Point> luceneCurve,
      ToDoubleFunction<SearchSweep.Point> qps) {
    double ours = RecallCurve.qpsAt(ourCurve, qps, targetRecall);
    double lucene = RecallCurve.qpsAt(luceneCurve, qps, targetRecall);
    out.printf(
        Locale.ROOT,
        "  %-8s %s %s, %s %s, ratio %s%n",
        label,
        BenchFormat.HNSW_CODEC,
        qpsOrWhy(ours, ourCurve),
        BenchFormat.LUCENE99,
        qpsOrWhy(lucene, luceneCurve),
        ratio(ours, lucene));
  }

  private static void buildRow(
      PrintWriter out, String label, double ours, double lucene, String format) {
    out.printf(
        Locale.ROOT,
        "%-34s %14s %14s %12s%n",
        label,
        Double.isNaN(ours) ? "-" : String.format(Locale.ROOT, format, ours),
        Double.isNaN(lucene) ? "-" : String.format(Locale.ROOT, format, lucene),
        ratio(ours, lucene));
  }

  private static String pointColumns(SearchSweep.Point p) {
    return String.format(
        Locale.ROOT,
        "%7.4f %9.0f %9.0f %8.3f %8.3f %9.1f",
        p.recall(),
        p.qps(),
        p.cpuQps(),
        p.p50Ms(),
        p.p99Ms(),
        p.visited());
  }

  private static String center(String text, int width) {
    int left = Math.max(0, (width - text.length()) / 2);
    return " ".repeat(left) + text;
  }

  private String qpsOrWhy(double qps, List<SearchSweep.Point> curve) {
    return Double.isNaN(qps)
        ? "n/a (" + RecallCurve.whyNot(curve, targetRecall) + ")"
        : String.format(Locale.ROOT, "%.0f", qps);
  }

  private static String ratio(double ours, double lucene) {
    return Double.isNaN(ours) || Double.isNaN(lucene) || lucene == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f", ours / lucene);
  }

  /** Writes one JSON object per line: the setup, each build, each sweep point and each ratio. */
  void writeJsonLines(Path file) throws IOException {
    // Unmeasured values are written as null rather than left out, so every row of a type has the
    // same keys.
    Gson gson = new GsonBuilder().serializeNulls().create();
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (JsonObject row : jsonRows()) {
        writer.write(gson.toJson(row));
        writer.write('\n');
      }
    }
  }

  private List<JsonObject> jsonRows() {
    List<JsonObject> rows = new ArrayList<>();
    Setup s = setup;
    JsonObject run = row("run");
    run.addProperty("dataset", s.dataset().name());
    run.addProperty("base", s.dataset().base().toString());
    run.addProperty("queries", s.dataset().queries().toString());
    Path groundTruth = s.dataset().groundTruth();
    run.addProperty("groundTruth", groundTruth == null ? null : groundTruth.toString());
    run.addProperty("similarity", s.dataset().similarity().name());
    run.addProperty("baseVectors", s.baseVectors());
    run.addProperty("dimension", s.dimension());
    run.addProperty("queryCount", s.queries());
    run.addProperty("M", s.maxConn());
    run.addProperty("efConstruction", s.efConstruction());
    run.addProperty("k", s.k());
    run.addProperty("rounds", s.rounds());
    run.addProperty("passes", s.passes());
    run.addProperty("warmupRounds", s.warmupRounds());
    run.addProperty("buildRounds", s.buildRounds());
    run.addProperty("flushMode", s.flushMode().toString());
    run.addProperty("flush", s.flush());
    run.addProperty("buildWorkers", s.buildWorkers());
    run.addProperty("filterPercent", s.filterPercent());
    run.addProperty("filteredSearchThreshold", s.filteredSearchThreshold());
    run.addProperty("growth", s.growth());
    run.addProperty("quantized", s.quantized() == null ? null : s.quantized().name());
    run.addProperty("java", Runtime.version().toString());
    run.addProperty("cpus", Runtime.getRuntime().availableProcessors());
    rows.add(run);
    for (BenchBuild.Result build : builds.values()) {
      JsonObject o = row("build");
      o.addProperty("format", build.format().toString());
      o.addProperty("flushMode", s.flushMode().toString());
      o.addProperty("segmentsAfterBuild", build.segmentsAfterBuild());
      o.add("buildWallS", number(build.build().wallSeconds()));
      o.add("buildCpuS", number(build.build().cpuSeconds()));
      o.add("mergeWallS", number(build.merge().wallSeconds()));
      o.add("mergeCpuS", number(build.merge().cpuSeconds()));
      o.add("buildWallSPerRound", perRound(build, r -> r.build().wallSeconds()));
      o.add("buildCpuSPerRound", perRound(build, r -> r.build().cpuSeconds()));
      o.add("mergeWallSPerRound", perRound(build, r -> r.merge().wallSeconds()));
      o.add("mergeCpuSPerRound", perRound(build, r -> r.merge().cpuSeconds()));
      o.addProperty("indexBytes", build.indexBytes());
      o.addProperty("graphBytes", build.graphBytes());
      o.add("graphBytesPerVector", number((double) build.graphBytes() / s.baseVectors()));
      JsonObject extensions = new JsonObject();
      build.bytesByExtension().forEach(extensions::addProperty);
      o.add("bytesByExtension", extensions);
      rows.add(o);
    }
    for (List<SearchSweep.Point> curve : curves.values()) {
      for (SearchSweep.Point p : curve) {
        JsonObject o = row("search");
        o.addProperty("format", p.format().toString());
        o.addProperty("ef", p.ef());
        o.addProperty("k", s.k());
        o.add("recall", number(p.recall()));
        o.add("qps", number(p.qps()));
        o.add("qpsPerRound", numbers(p.qpsPerRound()));
        o.add("cpuQps", number(p.cpuQps()));
        o.add("cpuQpsPerRound", numbers(p.cpuQpsPerRound()));
        o.add("p50Ms", number(p.p50Ms()));
        o.add("p99Ms", number(p.p99Ms()));
        o.add("visited", number(p.visited()));
        rows.add(o);
      }
    }
    List<SearchSweep.Point> ourCurve = curves.get(BenchFormat.HNSW_CODEC);
    List<SearchSweep.Point> luceneCurve = curves.get(BenchFormat.LUCENE99);
    for (int i = 0; i < ourCurve.size(); i++) {
      SearchSweep.Point a = ourCurve.get(i);
      SearchSweep.Point b = luceneCurve.get(i);
      JsonObject qps = ratioRow("qps_at_ef", a.qps(), b.qps());
      qps.addProperty("ef", a.ef());
      rows.add(qps);
      JsonObject cpuQps = ratioRow("cpu_qps_at_ef", a.cpuQps(), b.cpuQps());
      cpuQps.addProperty("ef", a.ef());
      rows.add(cpuQps);
    }
    Map<String, ToDoubleFunction<SearchSweep.Point>> throughputs =
        Map.of(
            "qps_at_recall",
            SearchSweep.Point::qps,
            "cpu_qps_at_recall",
            SearchSweep.Point::cpuQps);
    throughputs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              JsonObject o =
                  ratioRow(
                      e.getKey(),
                      RecallCurve.qpsAt(ourCurve, e.getValue(), targetRecall),
                      RecallCurve.qpsAt(luceneCurve, e.getValue(), targetRecall));
              o.addProperty("recall", targetRecall);
              rows.add(o);
            });
    BenchBuild.Result ours = builds.get(BenchFormat.HNSW_CODEC);
    BenchBuild.Result lucene = builds.get(BenchFormat.LUCENE99);
    rows.add(ratioRow("build_cpu", ours.build().cpuSeconds(), lucene.build().cpuSeconds()));
    rows.add(ratioRow("merge_cpu", ours.merge().cpuSeconds(), lucene.merge().cpuSeconds()));
    rows.add(ratioRow("index_bytes", ours.indexBytes(), lucene.indexBytes()));
    rows.add(ratioRow("graph_bytes", ours.graphBytes(), lucene.graphBytes()));
    return rows;
  }

  private static JsonArray perRound(
      BenchBuild.Result build, ToDoubleFunction<BenchBuild.Round> value) {
    return numbers(build.rounds().stream().mapToDouble(value).toArray());
  }

  private static JsonArray numbers(double[] values) {
    JsonArray array = new JsonArray();
    for (double value : values) {
      array.add(number(value));
    }
    return array;
  }

  private JsonObject row(String type) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    o.addProperty("dataset", setup.dataset().name());
    return o;
  }

  private JsonObject ratioRow(String metric, double ours, double lucene) {
    JsonObject o = row("ratio");
    o.addProperty("metric", metric);
    o.add("ours", number(ours));
    o.add("lucene", number(lucene));
    o.add("value", number(lucene == 0 ? Double.NaN : ours / lucene));
    return o;
  }

  /** JSON has no NaN: an unmeasured value is null. */
  private static JsonElement number(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? JsonNull.INSTANCE
        : new JsonPrimitive(value);
  }
}

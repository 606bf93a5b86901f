package org.hnswcodec.tool;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hnsw-tool index}: builds a Lucene index with the HnswCodec10 format from a vector file.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Index the vectors of a file into a Lucene index with the HnswCodec10 vector format.",
      "Each document holds the vector, its row in the file (field \"row\": stored and doc values)"
          + " and, from JSON lines, the record's other members as stored text fields."
    })
final class IndexCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "INPUT",
      description =
          "the vectors: .fvecs, .npy (2-D float32 in C order) or JSON lines (.jsonl, .ndjson)"
              + " with a numeric array per line")
  private Path input;

  @Option(
      names = {"-i", "--index"},
      required = true,
      paramLabel = "DIR",
      description = "the index directory; an index already there is replaced")
  private Path indexPath;

  @Option(
      names = {"-M", "--max-conn"},
      paramLabel = "M",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_MAX_CONN,
      description =
          "M: the most links per node above layer 0 (2M on layer 0). Default: ${DEFAULT-VALUE}")
  private int maxConn;

  @Option(
      names = "--ef-construction",
      paramLabel = "N",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_BEAM_WIDTH,
      description = "efConstruction: the beam width while inserting. Default: ${DEFAULT-VALUE}")
  private int efConstruction;

  @Option(
      names = "--default-ef",
      paramLabel = "EF",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_EF,
      description =
          "the ef of searches that set none, recorded in the index. Default: ${DEFAULT-VALUE}")
  private int defaultEf;

  @Option(
      names = {"-s", "--similarity"},
      paramLabel = "SIMILARITY",
      defaultValue = "EUCLIDEAN",
      description = "${COMPLETION-CANDIDATES} (any case). Default: ${DEFAULT-VALUE}")
  private VectorSimilarityFunction similarity;

  @Option(
      names = "--ram-buffer-mb",
      paramLabel = "MB",
      defaultValue = "256",
      description =
          "the indexing buffer: a segment is flushed when it is full. Default: ${DEFAULT-VALUE}")
  private double ramBufferMb;

  @Option(
      names = "--merge-threads",
      paramLabel = "N",
      description = "the most concurrent merge threads. Default: Lucene's choice for this machine")
  private Integer mergeThreads;

  @Option(
      names = "--build-workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "threads that build one graph at once, at flush and at merge (the graph then depends on"
              + " thread timing). Default: ${DEFAULT-VALUE}")
  private int buildWorkers;

  @Option(
      names = "--min-graph-size",
      paramLabel = "N",
      defaultValue = "" + HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE,
      description =
          "a segment with fewer vectors gets no graph and searches score each of its vectors;"
              + " 0 gives every segment a graph. Default: ${DEFAULT-VALUE}")
  private int minGraphSize;

  @Option(names = "--force-merge", description = "merge the index into one segment at the end")
  private boolean forceMerge;

  @Option(
      names = "--rows",
      paramLabel = "START:END",
      converter = RowRange.Converter.class,
      description = "index only these rows of INPUT (0-based, END excluded)")
  private RowRange rows = RowRange.ALL;

  @Mixin private VectorOptions vectors;

  @Option(names = "--no-progress", description = "do not show the progress bar")
  private boolean noProgress;

  @Override
  public Integer call() throws Exception {
    format(null); // the parameters are checked before any thread starts
    if (ramBufferMb <= 0 || ramBufferMb >= 2048) {
      throw new ParameterException(
          spec.commandLine(), "--ram-buffer-mb must be > 0 and < 2048; got " + ramBufferMb);
    }
    if (mergeThreads != null && mergeThreads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--merge-threads must be >= 1; got " + mergeThreads);
    }
    PrintWriter out = spec.commandLine().getOut();
    ToolDocuments documents = new ToolDocuments(vectors.field, similarity);
    TreeSet<String> notIndexed = new TreeSet<>();
    long startNanos = System.nanoTime();
    long addNanos;
    long commitNanos;
    long mergeNanos = 0;
    int dimension;
    long count = 0;
    try (BuildWorkers workers = BuildWorkers.of(buildWorkers);
        VectorReader reader = VectorReader.open(input, rows, vectors.vectorKey);
        Directory directory = FSDirectory.open(indexPath);
        IndexWriter writer = new IndexWriter(directory, config(format(workers)))) {
      dimension = reader.dimension();
      try (Progress progress = Progress.start("index", reader.size(), "vec", noProgress == false)) {
        for (VectorRecord record = reader.next(); record != null; record = reader.next()) {
          try {
            writer.addDocument(documents.document(record));
          } catch (IllegalArgumentException e) {
            throw new InputException(input + ", row " + record.row() + ": " + e.getMessage());
          }
          record.fields().keySet().stream()
              .filter(f -> documents.indexes(f) == false)
              .forEach(notIndexed::add);
          count++;
          progress.step();
        }
        addNanos = System.nanoTime() - startNanos;
        progress.note("committing");
        long commitStart = System.nanoTime();
        writer.commit();
        commitNanos = System.nanoTime() - commitStart;
        if (forceMerge) {
          progress.note("merging");
          long mergeStart = System.nanoTime();
          writer.forceMerge(1);
          writer.commit();
          mergeNanos = System.nanoTime() - mergeStart;
        }
      }
    }
    long totalNanos = System.nanoTime() - startNanos;
    for (String name : notIndexed) {
      out.println(
          "note: the input's \""
              + name
              + "\" member was not indexed: the tool's own field of"
              + " that name holds the "
              + (name.equals(vectors.field) ? "vector" : "record's row"));
    }
    printSummary(out, count, dimension, addNanos, commitNanos, mergeNanos, totalNanos);
    return 0;
  }

  /** The format with the command's parameters and build workers (null: only checks them). */
  private HnswCodecVectorsFormat format(BuildWorkers workers) {
    try {
      return new HnswCodecVectorsFormat(
          maxConn,
          efConstruction,
          defaultEf,
          buildWorkers,
          workers == null ? null : workers.pool(),
          minGraphSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "invalid graph parameter: " + e.getMessage());
    }
  }

  private IndexWriterConfig config(HnswCodecVectorsFormat format) {
    TieredMergePolicy mergePolicy = new TieredMergePolicy();
    // Separate files rather than compound ones, so that the summary shows what the vectors and
    // the graph take.
    mergePolicy.setNoCFSRatio(0.0);
    ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler();
    if (mergeThreads != null) {
      // Lucene requires room for at least as many pending merges as threads; allow a few more.
      scheduler.setMaxMergesAndThreads(mergeThreads + 5, mergeThreads);
    }
    return new IndexWriterConfig(new StandardAnalyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        // A run that fails half-way must not leave a partial index behind as if it were complete.
        .setCommitOnClose(false)
        .setCodec(new HnswCodec(format))
        .setRAMBufferSizeMB(ramBufferMb)
        .setUseCompoundFile(false)
        .setMergePolicy(mergePolicy)
        .setMergeScheduler(scheduler);
  }

  private void printSummary(
      PrintWriter out,
      long count,
      int dimension,
      long addNanos,
      long commitNanos,
      long mergeNanos,
      long totalNanos)
      throws Exception {
    try (OpenIndex index = OpenIndex.open(indexPath)) {
      DirectoryReader reader = index.reader();
      out.printf(
          Locale.ROOT,
          "indexed %,d vectors of %d dimensions (%s) from %s into %s%n",
          count,
          dimension,
          similarity,
          input,
          indexPath);
      out.printf(
          Locale.ROOT,
          "  format: %s M=%d efConstruction=%d default ef=%d, %d build worker%s%n",
          HnswCodecVectorsFormat.NAME,
          maxConn,
          efConstruction,
          defaultEf,
          buildWorkers,
          buildWorkers == 1 ? "" : "s");
      out.printf(Locale.ROOT, "  documents: %,d%n", reader.numDocs());
      out.printf(Locale.ROOT, "  segments:  %d%n", reader.leaves().size());
      out.printf(
          Locale.ROOT,
          "  time: %s adding (with flushes), %s committing%s, %s in all (%,.0f vectors/s)%n",
          seconds(addNanos),
          seconds(commitNanos),
          forceMerge ? ", " + seconds(mergeNanos) + " force-merging" : "",
          seconds(totalNanos),
          count / (totalNanos / 1e9));
      Map<String, Long> bytes = IndexFiles.bytesByExtension(index.directory());
      out.println("  bytes on disk by file extension:");
      IndexFiles.print(out, bytes, "    ");
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}

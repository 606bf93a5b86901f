package org.hnswcodec.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.hnswcodec.examples.Recall;
import org.hnswcodec.search.EfKnnFloatVectorQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hnsw-tool search}: runs the vectors of a file as kNN queries against an index, prints the
 * hits as dataset rows and, given ground truth, recall@k.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Search an index with the vectors of a file as queries, one kNN query each, on one thread.",
      "Hits are shown as rows of the indexed file (its \"row\" field); with --groundtruth the"
          + " recall@k of the results is measured."
    })
final class SearchCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = {"-i", "--index"},
      required = true,
      paramLabel = "DIR",
      description = "an index written by 'hnsw-tool index'")
  private Path indexPath;

  @Option(
      names = {"-q", "--queries"},
      required = true,
      paramLabel = "FILE",
      description = "the query vectors: .fvecs, .npy or JSON lines")
  private Path queriesPath;

  @Option(
      names = "--rows",
      paramLabel = "START:END",
      converter = RowRange.Converter.class,
      description = "run only these rows of the queries file (0-based, END excluded)")
  private RowRange rows = RowRange.ALL;

  @Option(
      names = "-k",
      paramLabel = "K",
      defaultValue = "10",
      description = "how many nearest documents each query returns. Default: ${DEFAULT-VALUE}")
  private int k;

  @Option(
      names = "--ef",
      paramLabel = "EF",
      description =
          "the beam width of the graph search (below k it acts as k). Default: the ef recorded"
              + " in the index")
  private Integer ef;

  @Option(
      names = "--filter",
      paramLabel = "FIELD:VALUE",
      description =
          "return only documents whose text field FIELD has the word VALUE (a term, lowercased"
              + " like the indexed text)")
  private String filter;

  @Option(
      names = {"-g", "--groundtruth"},
      paramLabel = "FILE",
      description = ".ivecs of the exact nearest rows per query row (the rows of the queries file)")
  private Path groundTruthPath;

  @Option(
      names = "--show-fields",
      split = ",",
      paramLabel = "FIELD",
      description = "stored fields to print beside each hit")
  private List<String> showFields = List.of();

  @Option(names = "--no-hits", description = "print only the summary, not each query's hits")
  private boolean noHits;

  @Mixin private VectorOptions vectors;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new ParameterException(spec.commandLine(), "-k must be >= 1; got " + k);
    }
    if (ef != null && ef < 1) {
      throw new ParameterException(spec.commandLine(), "--ef must be >= 1; got " + ef);
    }
    String[] filterParts = filter == null ? null : splitFilter(filter);
    PrintWriter out = spec.commandLine().getOut();
    List<VectorRecord> queries = VectorReader.readAll(queriesPath, rows, vectors.vectorKey);
    int[][] truth = null;
    if (groundTruthPath != null) {
      truth = GroundTruth.read(groundTruthPath, queries, k);
    }
    try (OpenIndex index = OpenIndex.open(indexPath)) {
      DirectoryReader reader = index.reader();
      FieldInfos fieldInfos = FieldInfos.getMergedFieldInfos(reader);
      checkVectorField(fieldInfos, queries.getFirst().vector().length);
      Query filterQuery = filterParts == null ? null : filterQuery(fieldInfos, filterParts);
      RowMap rowMap = RowMap.load(reader);
      IndexSearcher searcher = new IndexSearcher(reader);
      // Caching would make repeated filters cheaper than a first search; report first searches.
      searcher.setQueryCache(null);
      StoredFields storedFields = searcher.storedFields();
      double[] millis = new double[queries.size()];
      double recallSum = 0;
      for (int q = 0; q < queries.size(); q++) {
        VectorRecord query = queries.get(q);
        long start = System.nanoTime();
        TopDocs hits = searcher.search(query(query.vector(), filterQuery), k);
        millis[q] = (System.nanoTime() - start) / 1e6;
        long[] hitRows = rowMap.rowsOf(hits.scoreDocs);
        if (noHits == false) {
          printHits(out, query.row(), hits, hitRows, millis[q], storedFields);
        }
        if (truth != null) {
          recallSum += Recall.atK(hitRows, truth[(int) query.row()], k);
        }
      }
      printSummary(out, millis, truth == null ? Double.NaN : recallSum / queries.size());
    }
    return 0;
  }

  private String[] splitFilter(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--filter must be FIELD:VALUE, e.g. category:tools; got '" + text + "'");
    }
    return new String[] {text.substring(0, colon), text.substring(colon + 1)};
  }

  private void checkVectorField(FieldInfos fieldInfos, int queryDimension) {
    FieldInfo info = fieldInfos.fieldInfo(vectors.field);
    if (info == null || info.hasVectorValues() == false) {
      TreeSet<String> vectorFields = new TreeSet<>();
      fieldInfos.forEach(
          fi -> {
            if (fi.hasVectorValues()) {
              vectorFields.add(fi.name);
            }
          });
      throw new InputException(
          "the index has no vector field \""
              + vectors.field
              + "\"; its vector fields: "
              + vectorFields);
    }
    if (info.getVectorEncoding() != VectorEncoding.FLOAT32) {
      throw new InputException(
          "field \"" + vectors.field + "\" holds byte vectors; this tool queries float32 ones");
    }
    if (info.getVectorDimension() != queryDimension) {
      throw new InputException(
          queriesPath
              + " has vectors of "
              + queryDimension
              + " dimensions; field \""
              + vectors.field
              + "\" has "
              + info.getVectorDimension());
    }
  }

  private static Query filterQuery(FieldInfos fieldInfos, String[] parts) {
    String name = parts[0];
    FieldInfo info = fieldInfos.fieldInfo(name);
    if (info == null || info.getIndexOptions() == IndexOptions.NONE) {
      TreeSet<String> textFields = new TreeSet<>();
      fieldInfos.forEach(
          fi -> {
            if (fi.getIndexOptions() != IndexOptions.NONE) {
              textFields.add(fi.name);
            }
          });
      throw new InputException(
          "--filter: the index has no indexed field \""
              + name
              + "\"; its indexed fields: "
              + textFields);
    }
    // Indexed text went through this analyzer, so the value must be normalised the same way.
    try (Analyzer analyzer = new StandardAnalyzer()) {
      return new TermQuery(new Term(name, analyzer.normalize(name, parts[1])));
    }
  }

  private Query query(float[] vector, Query filterQuery) {
    return ef == null
        ? new KnnFloatVectorQuery(vectors.field, vector, k, filterQuery)
        : new EfKnnFloatVectorQuery(vectors.field, vector, k, ef, filterQuery);
  }

  private void printHits(
      PrintWriter out,
      long queryRow,
      TopDocs hits,
      long[] hitRows,
      double millis,
      StoredFields storedFields)
      throws IOException {
    out.printf(Locale.ROOT, "query row %d: %d hits in %.3f ms%n", queryRow, hitRows.length, millis);
    for (int i = 0; i < hitRows.length; i++) {
      ScoreDoc hit = hits.scoreDocs[i];
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT, "  %3d. row %-10d score %.6f", i + 1, hitRows[i], hit.score));
      if (showFields.isEmpty() == false) {
        Document doc = storedFields.document(hit.doc, new LinkedHashSet<>(showFields));
        for (String name : showFields) {
          String value = String.join("|", doc.getValues(name));
          line.append("  ").append(name).append('=').append(abbreviate(value));
        }
      }
      out.println(line);
    }
  }

  /** Long text fields would drown the hits; one line of each is enough to recognise them. */
  private static String abbreviate(String value) {
    String oneLine = value.replaceAll("\\s+", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
  }

  private void printSummary(PrintWriter out, double[] millis, double recall) {
    double total = 0;
    for (double m : millis) {
      total += m;
    }
    out.printf(
        Locale.ROOT,
        "%d queries, k=%d, ef=%s%s: %.1f queries/s on one thread; latency mean %.3f ms,"
            + " p50 %.3f ms, p99 %.3f ms%n",
        millis.length,
        k,
        ef == null ? "index default" : ef.toString(),
        filter == null ? "" : ", filter " + filter,
        millis.length / (total / 1000),
        total / millis.length,
        Percentiles.of(millis, 50),
        Percentiles.of(millis, 99));
    if (Double.isNaN(recall) == false) {
      out.printf(
          Locale.ROOT,
          "recall@%d: %.4f (ground truth: %s%s)%n",
          k,
          recall,
          groundTruthPath,
          filter == null ? "" : "; it ignores the filter, so recall is understated");
    }
  }
}

package org.hnswcodec.examples;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * Keyword, vector and hybrid search over real text in one Lucene index that uses {@link
 * HnswCodec} for its vectors.
 *
 * <p>The index holds the 700 base passages of the bundled SAP Fiori documentation set (see {@code
 * examples/data/README.md}), one document per passage with its title, text, category and
 * 384-dimensional MiniLM embedding. No embedding model ships with the data, so queries are query
 * passages whose vectors were computed in advance. For each chosen query passage the example prints
 * the top 5 of:
 *
 * <ol type="a">
 *   <li>BM25 over title and text, with the first 30 distinct words of the query passage as
 *       optional terms;
 *   <li>kNN search on the query passage's vector;
 *   <li>(a) and (b) fused by reciprocal rank fusion ({@link TopDocs#rrf}, rank constant 60),
 *       which needs only ranks, not comparable scores;
 *   <li>kNN search restricted to the query passage's own category by a filter query.
 * </ol>
 *
 * <p>Finally it measures the recall@10 of plain kNN search over all 78 query passages against the
 * exact ground truth.
 *
 * <p>Run from the repository root (this is the example {@code exec:exec} runs by default); the
 * optional arguments are query rows (0..77) to show instead of the default ones:
 *
 * <pre>
 * mvn -q -o test-compile exec:exec
 * mvn -q -o test-compile exec:exec -Dexample.args="0 33"
 * </pre>
 */
public final class HybridSearchExample {

  private static final String DATA = "fiori-docs-minilm384/";
  private static final int[] DEFAULT_QUERY_ROWS = {8, 26, 34};

  private static final int SHOWN_HITS = 5;
  private static final int MAX_QUERY_TERMS = 30;
  // How deep each ranked list goes into the fusion: deep enough that a passage ranked moderately
  // by both methods can beat one ranked high by only one.
  private static final int FUSION_DEPTH = 50;
  private static final int RRF_K = 60;
  private static final int RECALL_K = 10;

  private HybridSearchExample() {}

  /** Runs the example; see the class documentation for the optional arguments. */
  public static void main(String[] args) throws IOException {
    List<Passage> passages = Passage.readJsonLines(ExampleData.file(DATA + "fiori_base.jsonl"));
    float[][] vectors = TexmexFile.readFvecs(ExampleData.file(DATA + "fiori_base.fvecs"));
    List<Passage> queries = Passage.readJsonLines(ExampleData.file(DATA + "fiori_query.jsonl"));
    float[][] queryVectors = TexmexFile.readFvecs(ExampleData.file(DATA + "fiori_query.fvecs"));
    int[][] groundTruth = TexmexFile.readIvecs(ExampleData.file(DATA + "fiori_groundtruth.ivecs"));
    int[] shownQueries =
        args.length == 0
            ? DEFAULT_QUERY_ROWS
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int row : shownQueries) {
      if (row < 0 || row >= queries.size()) {
        throw new IllegalArgumentException(
            "query row " + row + " is outside 0.." + (queries.size() - 1));
      }
    }

    try (Analyzer analyzer = new StandardAnalyzer();
        Directory dir = new ByteBuffersDirectory()) {
      long start = System.nanoTime();
      index(dir, analyzer, passages, vectors);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        System.out.printf(
            "Indexed %d passages (%d segment(s)) in %d ms%n",
            reader.numDocs(), reader.leaves().size(), (System.nanoTime() - start) / 1_000_000);
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int row : shownQueries) {
          showSearches(searcher, analyzer, queries.get(row), queryVectors[row]);
        }
        printRecall(searcher, queryVectors, groundTruth);
      }
    }
  }

  private static void index(
      Directory dir, Analyzer analyzer, List<Passage> passages, float[][] vectors)
      throws IOException {
    if (passages.size() != vectors.length) {
      throw new IllegalStateException(
          passages.size() + " passages but " + vectors.length + " vectors");
    }
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setCodec(new HnswCodec());
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (Passage passage : passages) {
        Document doc = new Document();
        RowField.add(doc, passage.row());
        doc.add(new TextField("title", passage.title(), Field.Store.YES));
        doc.add(new TextField("text", passage.text(), Field.Store.NO));
        doc.add(new StringField("category", passage.category(), Field.Store.YES));
        // The MiniLM vectors are unit length, so COSINE ranks as DOT_PRODUCT would.
        doc.add(
            new KnnFloatVectorField(
                "vector", vectors[passage.row()], VectorSimilarityFunction.COSINE));
        writer.addDocument(doc);
      }
    }
  }

  private static void showSearches(
      IndexSearcher searcher, Analyzer analyzer, Passage query, float[] queryVector)
      throws IOException {
    System.out.printf(
        "%n=== Query passage %d [%s]: %s%n", query.row(), query.category(), query.title());

    Set<String> words = firstDistinctTerms(analyzer, query.text(), MAX_QUERY_TERMS);
    System.out.println("    words: " + String.join(" ", words));
    TopDocs keyword = searcher.search(keywordQuery(words), FUSION_DEPTH);
    printHits(searcher, "(a) BM25 on title and text", keyword);

    TopDocs vector =
        searcher.search(new KnnFloatVectorQuery("vector", queryVector, FUSION_DEPTH), FUSION_DEPTH);
    printHits(searcher, "(b) kNN; score = (1 + cosine) / 2", vector);

    TopDocs fused = TopDocs.rrf(SHOWN_HITS, RRF_K, new TopDocs[] {keyword, vector});
    String fusion = "(c) Hybrid: reciprocal rank fusion of (a) and (b), rank constant " + RRF_K;
    printHits(searcher, fusion, fused);

    Query sameCategory = new TermQuery(new Term("category", query.category()));
    TopDocs filtered =
        searcher.search(
            new KnnFloatVectorQuery("vector", queryVector, SHOWN_HITS, sameCategory), SHOWN_HITS);
    printHits(searcher, "(d) kNN within category \"" + query.category() + "\"", filtered);
  }

  /** The first {@code max} distinct terms the analyzer makes of the text, in order. */
  private static Set<String> firstDistinctTerms(Analyzer analyzer, String text, int max)
      throws IOException {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream tokens = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (terms.size() < max && tokens.incrementToken()) {
        terms.add(term.toString());
      }
      tokens.end();
    }
    return terms;
  }

  /**
   * Each term as an optional clause on both title and text, so BM25 ranks passages by how many of
   * the terms they contain and how rare those terms are; very common words weigh little.
   */
  private static Query keywordQuery(Set<String> terms) {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String term : terms) {
      query.add(new TermQuery(new Term("title", term)), BooleanClause.Occur.SHOULD);
      query.add(new TermQuery(new Term("text", term)), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  private static void printHits(IndexSearcher searcher, String heading, TopDocs hits)
      throws IOException {
    System.out.println(heading);
    if (hits.scoreDocs.length == 0) {
      System.out.println("     (no hits)");
      return;
    }
    StoredFields storedFields = searcher.storedFields();
    for (int i = 0; i < Math.min(SHOWN_HITS, hits.scoreDocs.length); i++) {
      ScoreDoc hit = hits.scoreDocs[i];
      Document doc = storedFields.document(hit.doc);
      System.out.printf(
          "  %d. %8.4f  row %3d  %-60s [%s]%n",
          i + 1,
          hit.score,
          RowField.rowOf(doc),
          abbreviate(doc.get("title"), 60),
          doc.get("category"));
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static void printRecall(
      IndexSearcher searcher, float[][] queryVectors, int[][] groundTruth) throws IOException {
    int[][] found = new int[queryVectors.length][];
    for (int q = 0; q < queryVectors.length; q++) {
      TopDocs hits =
          searcher.search(new KnnFloatVectorQuery("vector", queryVectors[q], RECALL_K), RECALL_K);
      found[q] = RowField.rowsOf(searcher, hits.scoreDocs);
    }
    System.out.printf(
        "%nkNN recall@%d over all %d query passages (codec default ef=%d): %.4f%n",
        RECALL_K,
        queryVectors.length,
        HnswCodecVectorsFormat.DEFAULT_EF,
        Recall.atK(found, groundTruth, RECALL_K));
  }
}

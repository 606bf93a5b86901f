package org.hnswcodec.examples;

import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.search.EfSearchStrategy;

/**
 * The smallest complete use of the codec: index a few documents, each a sentence with a
 * hand-made 4-dimensional vector, using {@link HnswCodec}, then find the nearest documents to a
 * query vector with Lucene's own {@link KnnFloatVectorQuery}, choosing the search's ef per query
 * through {@link EfSearchStrategy}.
 *
 * <p>The four dimensions stand for how much a sentence is about fruit, vehicles, the colour red and
 * speed, so the hits can be checked by eye. Real applications get their vectors from an embedding
 * model; see {@link HybridSearchExample}.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -q -o test-compile exec:exec -Dexample.main=org.hnswcodec.examples.QuickStart
 * </pre>
 */
public final class QuickStart {

  private static final String[] SENTENCES = {
    "A crisp red apple from the orchard",
    "Ripe yellow bananas on the kitchen table",
    "A red sports car racing down the motorway",
    "An old green tractor crawling across a field",
    "Fresh strawberries, small and red",
    "A high-speed train leaving the station",
  };

  // fruit, vehicle, red, fast
  private static final float[][] VECTORS = {
    {0.9f, 0.0f, 0.8f, 0.0f},
    {0.9f, 0.0f, 0.0f, 0.0f},
    {0.0f, 0.9f, 0.9f, 0.9f},
    {0.0f, 0.9f, 0.0f, 0.0f},
    {0.8f, 0.0f, 0.9f, 0.0f},
    {0.0f, 0.8f, 0.0f, 0.9f},
  };

  private QuickStart() {}

  /** Runs the example; it takes no arguments. */
  public static void main(String[] args) throws IOException {
    // M=16 links per node, efConstruction=100, and ef=50 for queries that do not choose one.
    HnswCodec codec = new HnswCodec(new HnswCodecVectorsFormat(16, 100, 50));
    try (Directory dir = new ByteBuffersDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(codec))) {
        for (int i = 0; i < SENTENCES.length; i++) {
          Document doc = new Document();
          doc.add(new TextField("text", SENTENCES[i], Field.Store.YES));
          doc.add(new KnnFloatVectorField("vector", VECTORS[i], VectorSimilarityFunction.COSINE));
          writer.addDocument(doc);
        }
      }
      System.out.println("Indexed " + SENTENCES.length + " documents with " + codec);

      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        search(searcher, "something red and fast", new float[] {0.0f, 0.5f, 0.9f, 0.9f});
        search(searcher, "fruit, preferably red", new float[] {1.0f, 0.0f, 0.6f, 0.0f});
      }
    }
  }

  private static void search(IndexSearcher searcher, String description, float[] target)
      throws IOException {
    int k = 3;
    // ef is the beam width of the graph search: larger finds the true neighbours more reliably
    // and costs more. With six documents any ef finds them all; TuneEf shows the trade-off.
    int ef = 10;
    KnnFloatVectorQuery query =
        new KnnFloatVectorQuery("vector", target, k, null, new EfSearchStrategy(ef));
    TopDocs hits = searcher.search(query, k);

    // Lucene turns cosine similarity into a non-negative score: (1 + cosine) / 2.
    System.out.printf("%nTop %d for \"%s\" (ef=%d):%n", k, description, ef);
    for (ScoreDoc hit : hits.scoreDocs) {
      String text = searcher.storedFields().document(hit.doc).get("text");
      System.out.printf("  %.4f  %s%n", hit.score, text);
    }
  }
}

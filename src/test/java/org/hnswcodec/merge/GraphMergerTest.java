package org.hnswcodec.merge;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.codec.GraphInspector;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.graph.LayeredGraph;
import org.hnswcodec.testutil.VectorSet;

/**
 * A merge starts from the largest segment's graph and only inserts the other vectors. Inserting
 * links a new node to old ones and may prune old nodes' lists, but never links two old nodes, so
 * every link between two of the big segment's vectors in the merged graph must come from the big
 * segment's graph. A fresh build makes many links of its own. Every merged graph must also let a
 * search reach every node.
 */
public class GraphMergerTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final String ROW = "row";

  private static final HnswCodecVectorsFormat ONE_WORKER = new HnswCodecVectorsFormat(8, 60);

  public void testLargestSegmentsGraphIsTheStartingPoint() throws IOException {
    // all, but for the rare link the final connectivity pass may add to reach a cut-off node
    assertEquals(1.0, oldLinksFromTheBigSegment(0, ONE_WORKER), 0.0005);
  }

  /**
   * The same merges with three workers: the small segment's nodes and, with many deletions, the
   * whole graph are inserted concurrently, and the big graph is still the starting point when it
   * is reused.
   */
  public void testConcurrentMerges() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      HnswCodecVectorsFormat threeWorkers = new HnswCodecVectorsFormat(8, 60, 100, 3, pool);
      double repaired = oldLinksFromTheBigSegment(150, threeWorkers);
      assertTrue("fraction with 5% deleted: " + repaired, repaired >= 0.9);
      double rebuilt = oldLinksFromTheBigSegment(900, threeWorkers);
      assertTrue("fraction with 30% deleted: " + rebuilt, rebuilt < 0.85);
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /**
   * With 5% of the big segment deleted its graph is still reused: links between old nodes come
   * from it, except the few repairs that replace a deleted neighbour by a two-hop one.
   */
  public void testSegmentWithFewDeletionsIsRepaired() throws IOException {
    double fraction = oldLinksFromTheBigSegment(150, ONE_WORKER);
    // measured 0.96
    assertTrue("fraction of old-to-old links from the big segment: " + fraction, fraction >= 0.9);
  }

  /** With 30% deleted (over the 25% limit) the merged graph is built afresh. */
  public void testSegmentWithManyDeletionsIsRebuilt() throws IOException {
    double fraction = oldLinksFromTheBigSegment(900, ONE_WORKER);
    // measured 0.68: an independent build finds many of the same neighbours, not all
    assertTrue("fraction of old-to-old links from the big segment: " + fraction, fraction < 0.85);
  }

  /**
   * Indexes a big and a small segment, merges them, and returns the fraction of the merged graph's
   * layer-0 links between two of the big segment's vectors that the big segment's graph had.
   */
  private double oldLinksFromTheBigSegment(int deletions, HnswCodecVectorsFormat format)
      throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 3300, 16, 12);
    try (Directory dir = newFSDirectory(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(new HnswCodec(format))
              .setMergePolicy(NoMergePolicy.INSTANCE);
      Set<Long> bigLinks;
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int row = 0; row < vectors.length; row++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vectors[row], VectorSimilarityFunction.EUCLIDEAN));
          doc.add(new NumericDocValuesField(ROW, row));
          doc.add(new StringField("id", Integer.toString(row), Field.Store.NO));
          writer.addDocument(doc);
          if (row == 2999) {
            writer.flush();
          }
        }
        writer.commit();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
          assertEquals(2, reader.leaves().size());
          bigLinks = layerZeroLinks(reader.leaves().get(0).reader());
        }
        for (int i = 0; i < deletions; i++) {
          // every third row from the start: deletions spread over the big segment
          writer.deleteDocuments(new Term("id", Integer.toString(3 * i)));
        }
        writer.getConfig().setMergePolicy(new TieredMergePolicy());
        writer.forceMerge(1);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEveryNodeReachable(GraphInspector.graph(getOnlyLeafReader(reader), FIELD));
        int oldToOld = 0;
        int fromBig = 0;
        for (long link : layerZeroLinks(getOnlyLeafReader(reader))) {
          if ((link >>> 32) < 3000 && (int) link < 3000) {
            oldToOld++;
            if (bigLinks.contains(link)) {
              fromBig++;
            }
          }
        }
        assertTrue(oldToOld > 10_000);
        return fromBig / (double) oldToOld;
      }
    }
  }

  /** Repairs must not cut nodes off: a breadth-first walk of layer 0 reaches every node. */
  private static void assertEveryNodeReachable(LayeredGraph graph) throws IOException {
    org.apache.lucene.util.FixedBitSet reached = new org.apache.lucene.util.FixedBitSet(graph.size());
    int[] queue = new int[graph.size()];
    int head = 0;
    int tail = 0;
    queue[tail++] = graph.entryNode();
    reached.set(graph.entryNode());
    int[] neighbors = new int[graph.maxConn(0)];
    while (head < tail) {
      int degree = graph.neighbors(0, queue[head++], neighbors);
      for (int i = 0; i < degree; i++) {
        if (reached.getAndSet(neighbors[i]) == false) {
          queue[tail++] = neighbors[i];
        }
      }
    }
    assertEquals(graph.size(), tail);
  }

  /** The layer-0 links of a segment's graph, each as the pair (row of node, row of neighbour). */
  private static Set<Long> layerZeroLinks(LeafReader leaf) throws IOException {
    int[] rows = new int[leaf.maxDoc()];
    NumericDocValues values = leaf.getNumericDocValues(ROW);
    for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
      rows[doc] = (int) values.longValue();
    }
    // one vector per document and none missing, so ordinals are docIDs
    LayeredGraph graph = GraphInspector.graph(leaf, FIELD);
    Set<Long> links = new HashSet<>();
    int[] neighbors = new int[graph.maxConn(0)];
    for (int node = 0; node < graph.size(); node++) {
      int degree = graph.neighbors(0, node, neighbors);
      for (int i = 0; i < degree; i++) {
        links.add(((long) rows[node] << 32) | rows[neighbors[i]]);
      }
    }
    return links;
  }
}

package org.hnswcodec.codec;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.testutil.VectorSet;

/**
 * An index leaving our format for Lucene's own HNSW format, with a smaller M than ours: Lucene
 * 10.5's merge would start from any {@link HnswGraphProvider}'s graph, keep its longer neighbour
 * lists and write a segment its reader cannot search (as it does between two of its own formats of
 * different M). Our reader is not a provider, so Lucene builds its graph afresh and the merged
 * index searches well. Also what a segment below minGraphSize reports: vectors, and no graph.
 */
public class MoveToLuceneFormatTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final String ROW = "row";
  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;
  private static final int SIZE = 2500;
  private static final int QUERIES = 50;

  public void testLuceneFormatWithSmallerMBuildsItsOwnGraph() throws IOException {
    // 50 more vectors from the same clusters are the queries
    float[][] generated = VectorSet.clustered(random(), SIZE + QUERIES, 16, 10);
    float[][] vectors = Arrays.copyOf(generated, SIZE);
    try (Directory dir = newDirectory()) {
      HnswCodec ours = new HnswCodec(new HnswCodecVectorsFormat(24, 100));
      IndexWriterConfig config =
          new IndexWriterConfig().setCodec(ours).setMergePolicy(NoMergePolicy.INSTANCE);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int row = 0; row < SIZE; row++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vectors[row], L2));
          doc.add(new StoredField(ROW, row));
          writer.addDocument(doc);
          if (row == 999) {
            writer.flush();
          }
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(2, reader.leaves().size());
        assertFalse(vectorsReader(reader.leaves().get(0).reader()) instanceof HnswGraphProvider);
      }
      Lucene99HnswVectorsFormat lucene = new Lucene99HnswVectorsFormat(16, 100);
      config = new IndexWriterConfig().setCodec(TestUtil.alwaysKnnVectorsFormat(lucene));
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        writer.forceMerge(1);
      }
      // closing the directory runs CheckIndex, which searches the merged graph too
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = getOnlyLeafReader(reader);
        assertEquals(
            "Lucene99HnswVectorsFormat",
            leaf.getFieldInfos()
                .fieldInfo(FIELD)
                .getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
        IndexSearcher searcher = new IndexSearcher(reader);
        double recall = 0;
        for (int q = SIZE; q < generated.length; q++) {
          int[] truth = ExactNeighbors.topK(vectors, generated[q], 10, L2);
          TopDocs hits = searcher.search(new KnnFloatVectorQuery(FIELD, generated[q], 50), 10);
          int[] rows = new int[hits.scoreDocs.length];
          for (int i = 0; i < rows.length; i++) {
            rows[i] =
                searcher
                    .storedFields()
                    .document(hits.scoreDocs[i].doc)
                    .getField(ROW)
                    .numericValue()
                    .intValue();
          }
          recall += ExactNeighbors.recall(rows, truth, 10);
        }
        recall /= QUERIES;
        assertTrue("recall@10 of Lucene's merged graph: " + recall, recall >= 0.9);
      }
    }
  }

  /** A segment below minGraphSize has its vectors, an empty graph and no graph bytes. */
  public void testSegmentWithoutGraph() throws IOException {
    try (Directory dir = newDirectory()) {
      IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec());
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (float[] vector : VectorSet.clustered(random(), 100, 4, 2)) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vector, L2));
          writer.addDocument(doc);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = getOnlyLeafReader(reader);
        assertEquals(100, leaf.getFloatVectorValues(FIELD).size());
        assertEquals(0, GraphInspector.graph(leaf, FIELD).size());
        assertEquals(0L, GraphInspector.params(leaf, FIELD).graphBytes());
        var offHeap =
            vectorsReader(leaf).getOffHeapByteSize(leaf.getFieldInfos().fieldInfo(FIELD));
        assertEquals(Long.valueOf(0), offHeap.get("vex"));
        assertEquals(Long.valueOf(100L * 4 * Float.BYTES), offHeap.get("vec"));
      }
    }
  }

  private static KnnVectorsReader vectorsReader(LeafReader leaf) {
    KnnVectorsReader reader = ((CodecReader) leaf).getVectorReader();
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(FIELD);
    }
    return reader;
  }
}

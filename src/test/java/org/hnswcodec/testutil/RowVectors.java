package org.hnswcodec.testutil;

import java.io.IOException;
import java.util.function.Function;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.hnswcodec.examples.ExactNeighbors;

/**
 * Vectors indexed one a document with their row number as a doc value, so that hits can be
 * checked against ground truth given by row, whatever segments and doc ids the rows end up in.
 */
public final class RowVectors {

  /** The doc-value field holding each document's row. */
  public static final String ROW = "row";

  private RowVectors() {}

  /** A document with {@code vector} in {@code field} and {@code row} in {@link #ROW}. */
  public static Document document(
      String field, float[] vector, VectorSimilarityFunction similarity, int row) {
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(field, vector, similarity));
    doc.add(new NumericDocValuesField(ROW, row));
    return doc;
  }

  /** Adds every vector in row order, flushing after every {@code perSegment} documents. */
  public static void addAll(
      IndexWriter writer,
      String field,
      float[][] vectors,
      VectorSimilarityFunction similarity,
      int perSegment)
      throws IOException {
    for (int row = 0; row < vectors.length; row++) {
      writer.addDocument(document(field, vectors[row], similarity, row));
      if ((row + 1) % perSegment == 0) {
        writer.flush();
      }
    }
  }

  /** The rows of the hits, in the order of the hits. */
  public static int[] rows(IndexReader reader, TopDocs hits) throws IOException {
    int[] rows = new int[hits.scoreDocs.length];
    for (int i = 0; i < rows.length; i++) {
      ScoreDoc hit = hits.scoreDocs[i];
      LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(hit.doc, reader.leaves()));
      NumericDocValues values = leaf.reader().getNumericDocValues(ROW);
      if (values.advanceExact(hit.doc - leaf.docBase) == false) {
        throw new AssertionError("hit " + hit.doc + " has no row");
      }
      rows[i] = (int) values.longValue();
    }
    return rows;
  }

  /**
   * Mean recall@k over the queries: the share of each query's {@code truth} rows (nearest first)
   * among the rows of the top k hits of the query {@code queryOf} makes for it.
   */
  public static double recall(
      IndexSearcher searcher,
      float[][] queries,
      int[][] truth,
      int k,
      Function<float[], Query> queryOf)
      throws IOException {
    double total = 0;
    for (int q = 0; q < queries.length; q++) {
      TopDocs hits = searcher.search(queryOf.apply(queries[q]), k);
      total += ExactNeighbors.recall(rows(searcher.getIndexReader(), hits), truth[q], k);
    }
    return total / queries.length;
  }
}

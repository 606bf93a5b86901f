package org.hnswcodec.merge;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.LayeredGraph;
import org.hnswcodec.graph.OnHeapGraph;

/**
 * Builds the graph of a merged segment. Rather than inserting every vector again, it copies the
 * graph of the merging segment with the most live vectors that was built with the same M (its
 * nodes renumbered to the merged ordinals), then inserts the vectors of the other segments into
 * it. The merge checks for abort between insertions.
 *
 * <p>Deleted documents are dropped from the copy and the lists that linked to them repaired from
 * their two-hop neighbours ({@link GraphBuilder#copyFrom}). A segment with more than {@value
 * #MAX_DELETED_PERCENT}% of its vectors deleted is not reused: so many repairs would leave a
 * graph worse than inserting its live vectors again.
 */
public final class GraphMerger {

  /** Above this share of deleted vectors, a segment's graph is rebuilt rather than repaired. */
  static final int MAX_DELETED_PERCENT = 25;

  private GraphMerger() {}

  /**
   * @param field the field being merged
   * @param mergeState the merge
   * @param merged the merged segment's vectors, as written by the flat format
   * @param scorers scores the merged vectors against each other
   */
  public static OnHeapGraph merge(
      FieldInfo field,
      MergeState mergeState,
      KnnVectorValues merged,
      RandomVectorScorerSupplier scorers,
      int maxConn,
      int beamWidth,
      long seed)
      throws IOException {
    GraphBuilder builder = new GraphBuilder(scorers, merged.size(), maxConn, beamWidth, seed);
    int source = largestReusable(field, mergeState, maxConn);
    if (source >= 0) {
      LayeredGraph graph = reusable(mergeState.knnVectorsReaders[source], field.name).graph(field.name);
      builder.copyFrom(graph, mergedOrdinals(field, mergeState, source, merged));
    }
    return builder.build(mergeState::checkAborted);
  }

  /** The merging segment whose graph to start from, or -1 if none can be reused. */
  private static int largestReusable(FieldInfo field, MergeState mergeState, int maxConn)
      throws IOException {
    int best = -1;
    long bestLive = 0;
    for (int i = 0; i < mergeState.knnVectorsReaders.length; i++) {
      ReusableGraphs graphs = reusable(mergeState.knnVectorsReaders[i], field.name);
      if (graphs == null
          || mergeState.fieldInfos[i].fieldInfo(field.name) == null
          || graphs.maxConn(field.name) != maxConn) {
        continue;
      }
      LayeredGraph graph = graphs.graph(field.name);
      if (graph == null || graph.size() == 0) {
        continue;
      }
      long live = liveVectors(field, mergeState, i);
      boolean fewDeletions = (graph.size() - live) * 100 <= (long) graph.size() * MAX_DELETED_PERCENT;
      if (fewDeletions && live > bestLive) {
        best = i;
        bestLive = live;
      }
    }
    return best;
  }

  /** How many of segment {@code i}'s vectors belong to live documents. */
  private static long liveVectors(FieldInfo field, MergeState mergeState, int i)
      throws IOException {
    KnnVectorValues values = vectors(field, mergeState.knnVectorsReaders[i]);
    if (mergeState.liveDocs[i] == null) {
      return values.size();
    }
    long live = 0;
    KnnVectorValues.DocIndexIterator docs = values.iterator();
    for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
      if (mergeState.liveDocs[i].get(doc)) {
        live++;
      }
    }
    return live;
  }

  private static KnnVectorValues vectors(FieldInfo field, KnnVectorsReader reader)
      throws IOException {
    return switch (field.getVectorEncoding()) {
      case BYTE -> reader.getByteVectorValues(field.name);
      case FLOAT32 -> reader.getFloatVectorValues(field.name);
    };
  }

  private static ReusableGraphs reusable(KnnVectorsReader reader, String field) {
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(field);
    }
    return reader instanceof ReusableGraphs graphs ? graphs : null;
  }

  /**
   * For each vector ordinal of segment {@code source}, its ordinal in the merged segment, or -1 if
   * its document is deleted.
   */
  private static int[] mergedOrdinals(
      FieldInfo field, MergeState mergeState, int source, KnnVectorValues merged)
      throws IOException {
    int[] mergedDocs = new int[merged.size()];
    KnnVectorValues.DocIndexIterator it = merged.iterator();
    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      mergedDocs[it.index()] = doc;
    }
    KnnVectorValues sourceValues = vectors(field, mergeState.knnVectorsReaders[source]);
    int[] ordinals = new int[sourceValues.size()];
    KnnVectorValues.DocIndexIterator sourceDocs = sourceValues.iterator();
    for (int doc = sourceDocs.nextDoc();
        doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = sourceDocs.nextDoc()) {
      int mergedDoc = mergeState.docMaps[source].get(doc);
      int mergedOrdinal = mergedDoc == -1 ? -1 : Arrays.binarySearch(mergedDocs, mergedDoc);
      if (mergedDoc != -1 && mergedOrdinal < 0) {
        throw new IllegalStateException(
            "field \"" + field.name + "\": document " + doc + " of merging segment " + source
                + " is missing from the merged vectors");
      }
      ordinals[sourceDocs.index()] = mergedOrdinal;
    }
    return ordinals;
  }
}

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
 * graph of the largest merging segment that has no deleted documents and was built with the same
 * M (its nodes renumbered to the merged ordinals), then inserts the vectors of the other segments
 * into it. The merge checks for abort between insertions.
 *
 * <p>A segment with deletions is not reused: dropping its deleted nodes would leave holes in its
 * neighbours' lists, and such a segment is built again from its live vectors instead.
 */
public final class GraphMerger {

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
    int bestSize = 0;
    for (int i = 0; i < mergeState.knnVectorsReaders.length; i++) {
      ReusableGraphs graphs = reusable(mergeState.knnVectorsReaders[i], field.name);
      if (graphs == null
          || mergeState.liveDocs[i] != null
          || mergeState.fieldInfos[i].fieldInfo(field.name) == null
          || graphs.maxConn(field.name) != maxConn) {
        continue;
      }
      LayeredGraph graph = graphs.graph(field.name);
      if (graph != null && graph.size() > bestSize) {
        best = i;
        bestSize = graph.size();
      }
    }
    return best;
  }

  private static ReusableGraphs reusable(KnnVectorsReader reader, String field) {
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(field);
    }
    return reader instanceof ReusableGraphs graphs ? graphs : null;
  }

  /** For each vector ordinal of segment {@code source}, its ordinal in the merged segment. */
  private static int[] mergedOrdinals(
      FieldInfo field, MergeState mergeState, int source, KnnVectorValues merged)
      throws IOException {
    int[] mergedDocs = new int[merged.size()];
    KnnVectorValues.DocIndexIterator it = merged.iterator();
    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      mergedDocs[it.index()] = doc;
    }
    KnnVectorsReader reader = mergeState.knnVectorsReaders[source];
    KnnVectorValues sourceValues =
        switch (field.getVectorEncoding()) {
          case BYTE -> reader.getByteVectorValues(field.name);
          case FLOAT32 -> reader.getFloatVectorValues(field.name);
        };
    int[] ordinals = new int[sourceValues.size()];
    KnnVectorValues.DocIndexIterator sourceDocs = sourceValues.iterator();
    for (int doc = sourceDocs.nextDoc();
        doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = sourceDocs.nextDoc()) {
      int mergedOrdinal = Arrays.binarySearch(mergedDocs, mergeState.docMaps[source].get(doc));
      if (mergedOrdinal < 0) {
        throw new IllegalStateException(
            "field \"" + field.name + "\": document " + doc + " of merging segment " + source
                + " is missing from the merged vectors");
      }
      ordinals[sourceDocs.index()] = mergedOrdinal;
    }
    return ordinals;
  }
}

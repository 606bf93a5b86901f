package org.hnswcodec.merge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.LayeredGraph;
import org.hnswcodec.graph.OnHeapGraph;

/**
 * Builds the graph of a merged segment from the graphs of the merging segments rather than from
 * scratch. It copies the graph of the merging segment with the most live vectors that was built
 * with the same M (its nodes renumbered to the merged ordinals). The vectors of the other segments
 * with reusable graphs are inserted in the order of a walk over their old graph, each node's
 * layer-0 search starting from its old neighbours, and its searches running a narrower beam
 * ({@link #seededBeam}); vectors of segments without a reusable graph (among them segments too
 * small to have one) are inserted as usual. The merge checks for abort between insertions.
 *
 * <p>Deleted documents are dropped from the copy and the lists that linked to them repaired from
 * their two-hop neighbours; nodes that lost more than an eighth of their links are then linked
 * again by a search from their neighbours with the same narrower beam ({@link
 * GraphBuilder#copyFrom}). A segment with more than {@value #MAX_DELETED_PERCENT}% of its vectors
 * deleted is not reused: nearly all its nodes would be searched for again anyway.
 */
public final class GraphMerger {

  /** Above this share of deleted vectors, a segment's graph is rebuilt rather than repaired. */
  static final int MAX_DELETED_PERCENT = 25;

  /**
   * Nodes handed to the builder at once when inserting along an old graph: large enough that its
   * workers seldom wait for each other at the end of a batch.
   */
  private static final int BATCH = 4096;

  private GraphMerger() {}

  /**
   * @param field the field being merged
   * @param mergeState the merge
   * @param merged the merged segment's vectors, as written by the flat format
   * @param builder an empty builder over the merged vectors, with this merge's workers
   * @param maxConn the M the builder was made with
   * @param beamWidth the efConstruction the builder was made with
   */
  public static OnHeapGraph merge(
      FieldInfo field,
      MergeState mergeState,
      KnnVectorValues merged,
      GraphBuilder builder,
      int maxConn,
      int beamWidth)
      throws IOException {
    List<Source> sources = reusableByLiveSize(field, mergeState, maxConn);
    int[] mergedDocs = sources.isEmpty() ? null : docs(merged);
    int beam = seededBeam(maxConn, beamWidth);
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      int[] ordinals = mergedOrdinals(field, mergeState, source.segment(), mergedDocs);
      if (i == 0) {
        builder.copyFrom(source.graph(), ordinals, beam);
      } else {
        insertAlongGraph(builder, source.graph(), ordinals, beam, mergeState);
      }
    }
    return builder.build(mergeState::checkAborted);
  }

  /**
   * The beam of a merge insertion's searches: 3M, at most efConstruction. The searches still offer
   * the neighbour heuristic the efConstruction best nodes they score, so a node gets candidates as
   * a full beam would give it from fewer scored nodes. On SIFT (M=16, efC=100) after about four
   * rounds of merges, recall@10 at ef=16 over 1,000 midpoint queries was 0.874 against 0.873 with
   * the earlier beam of 5M, whose results alone were the candidates, and against 0.879 in one go;
   * merging four segments into one scored 30% fewer nodes in its searches (a beam of 3M whose
   * results alone were the candidates lost 0.03 after repeated merges; 2M with efConstruction
   * candidates lost 0.005).
   */
  static int seededBeam(int maxConn, int beamWidth) {
    return Math.min(beamWidth, 3 * maxConn);
  }

  /**
   * Inserts the nodes of another merging segment's graph in breadth-first order over its layer 0,
   * each seeded with its old neighbours, so that its search starts near where it belongs and needs
   * a narrower beam ({@code seededBeam}). A node none of whose old neighbours is inserted yet is
   * inserted as usual. The walk hands the insertions to the builder in batches, which its workers
   * may insert concurrently; the walk itself reads the old graph on this thread.
   */
  private static void insertAlongGraph(
      GraphBuilder builder, LayeredGraph graph, int[] ordinals, int seededBeam, MergeState state)
      throws IOException {
    int size = graph.size();
    FixedBitSet queued = new FixedBitSet(size);
    int[] queue = new int[size];
    int maxConn0 = graph.maxConn(0);
    int[] neighbors = new int[maxConn0];
    int[] batch = new int[BATCH];
    int[] seedStart = new int[BATCH + 1];
    int[] seeds = new int[BATCH * maxConn0];
    int batched = 0;
    // the entry node first, then every node not reached from it, each starting a traversal
    for (int start = -1; start < size; start++) {
      int root = start == -1 ? graph.entryNode() : start;
      if (queued.getAndSet(root)) {
        continue;
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = root;
      while (head < tail) {
        int node = queue[head++];
        int degree = graph.neighbors(0, node, neighbors);
        int seedCount = seedStart[batched];
        for (int i = 0; i < degree; i++) {
          int neighbor = neighbors[i];
          if (ordinals[neighbor] >= 0) {
            seeds[seedCount++] = ordinals[neighbor];
          }
          if (queued.getAndSet(neighbor) == false) {
            queue[tail++] = neighbor;
          }
        }
        if (ordinals[node] >= 0) {
          batch[batched++] = ordinals[node];
          seedStart[batched] = seedCount;
          if (batched == BATCH) {
            builder.insertNear(batch, seedStart, seeds, batched, seededBeam, state::checkAborted);
            batched = 0;
          }
        }
      }
    }
    builder.insertNear(batch, seedStart, seeds, batched, seededBeam, state::checkAborted);
  }

  /** A merging segment whose graph is reused, with its count of live vectors. */
  private record Source(int segment, LayeredGraph graph, long live) {}

  /**
   * The merging segments whose graphs can be reused, the one with the most live vectors first:
   * graphs of this format, built with the same M, with at most {@value #MAX_DELETED_PERCENT}% of
   * their vectors deleted.
   */
  private static List<Source> reusableByLiveSize(
      FieldInfo field, MergeState mergeState, int maxConn) throws IOException {
    List<Source> sources = new ArrayList<>();
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
      if ((graph.size() - live) * 100 <= (long) graph.size() * MAX_DELETED_PERCENT) {
        sources.add(new Source(i, graph, live));
      }
    }
    sources.sort(Comparator.comparingLong(Source::live).reversed());
    return sources;
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
   * The document of each merged vector, by ordinal. Read once: repeated {@code iterator()} calls
   * on one sparse vector values instance share their position.
   */
  private static int[] docs(KnnVectorValues merged) throws IOException {
    int[] docs = new int[merged.size()];
    KnnVectorValues.DocIndexIterator it = merged.iterator();
    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      docs[it.index()] = doc;
    }
    return docs;
  }

  /**
   * For each vector ordinal of segment {@code source}, its ordinal in the merged segment, or -1 if
   * its document is deleted.
   *
   * @param mergedDocs the document of each merged vector, ascending
   */
  private static int[] mergedOrdinals(
      FieldInfo field, MergeState mergeState, int source, int[] mergedDocs) throws IOException {
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

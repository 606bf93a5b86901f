package org.hnswcodec.search;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.hnswcodec.graph.BeamListener;
import org.hnswcodec.graph.BeamSearcher;
import org.hnswcodec.graph.LayeredGraph;
import org.hnswcodec.graph.SearchLimits;
import org.hnswcodec.graph.SearchResults;
import org.hnswcodec.graph.VisitedSet;

/**
 * One segment's kNN search for a Lucene {@link KnnCollector}.
 *
 * <p>The beam is {@code max(k, ef)} wide, with k from the collector (over several segments Lucene
 * asks each for more or fewer than the query's k, by its share of the documents) and ef from the
 * query's {@link EfSearchStrategy} or else the field's default. The search descends from the entry
 * node, or starts from the seed documents when Lucene passes {@link KnnSearchStrategy.Seeded} entry
 * points, then runs the beam on layer 0. Documents the {@link AcceptDocs} reject are walked through
 * but never returned. Every scored node counts against the collector's visit limit, and the search
 * stops when it is spent or when the collector terminates early (a query timeout); nodes scoring
 * below the collector's minimum competitive similarity are not expanded. The beam's results go to
 * the collector, which keeps the best k; for Lucene's {@link
 * org.apache.lucene.search.PatienceKnnVectorQuery} they go to it as they enter the beam, and it
 * hears of every expansion, so that it can stop the walk once they settle. A collector that keeps
 * fewer than k of the k or more documents the beam hands it counts something coarser than
 * documents (Lucene's block-join queries keep the best child of each of k parents): the walk goes
 * on, handing it hits until its own k best can no longer improve, as Lucene's searcher does, since
 * a beam of ef documents may hold fewer than k parents ({@link BeamSearcher#searchOn}). It goes on
 * from every node the beam scored, none scored again, once the thread's searcher for the field
 * records what its beams score, as it does after its first search that needed to go on; that
 * first one starts again from the nodes its descent scored (or its entry points). An ef beyond the
 * segment's size searches a beam of the segment's size.
 *
 * <p>When a graph search would be expected to cost about as much as scoring every vector the
 * search may return (the accepted documents, or the whole segment), every accepted vector is scored
 * instead: in order and in bulk, which costs a fraction of a graph visit per vector ({@link
 * #visitCost}), and exact. Like Lucene's HNSW reader, a beam of {@code b} over {@code n} vectors
 * is expected to visit {@code b ln n} nodes; unlike it, a walk that may return only {@code c} of
 * them is expected to visit {@code n / c} times as many, as it passes the rejected ones. This
 * covers small segments, wide beams and filters that accept up to about {@code sqrt(2.5 b n ln
 * n)} documents of up to 341 dimensions ({@code sqrt(2 b n ln n)} over a quantized copy; a fifth
 * of the SIFT set at ef=16; the README's filtered searches on the 9,900 SIFT vectors measure
 * 1.5–3.9× the queries per second of Lucene's walk where filters of 2–10% are scored so). A
 * segment written without a graph (too few vectors for one) is always searched so.
 */
public final class GraphSearch {

  /** Vectors scored at once when scoring exhaustively. */
  private static final int BULK = 64;

  /**
   * What a visit's own work is worth in vector components scored in order, besides the vector it
   * scores: decoding a neighbour list, moving the queues, the visited set, and reading a vector
   * out of order. Measured with the bench as the time per visit over the time per vector scored
   * in order: 3.3 to 4.6 on SIFT (128-d; ef 256 and 512 against scoring all 9,900, and 100,000
   * rows grown from it under filters of 5 and 10%), 2.5 to 2.8 on the MiniLM passages (384-d; ef
   * 48 and 96 against all 700), 1.74 to 1.85 on MNIST (784-d; ef 64 and 512 against all 9,900):
   * a visit is worth its vector and 294 to 691 more components. 512 stays below the measurements
   * that the cap below leaves in force (576 to 691 on MiniLM, 580 to 666 on MNIST).
   */
  static final int VISIT_WORK_COMPONENTS = 512;

  /**
   * The most a visit over the indexed vectors is taken to cost, in vectors scored in order: the
   * lowest measurement up to 384-d (MiniLM's), kept below SIFT's 3.3 so that no walk that would
   * have been cheaper is given up. At 2 for every dimension the bench found walks that cost more
   * than scoring all would have (MiniLM at ef=48, SIFT under an 18% filter at ef=16, 100,000
   * grown SIFT rows under a 5% filter at ef=10: 1.10x, 1.35x and 1.27x the queries per second
   * once scored all, medians of three runs but the last, and exact); at 2.5 for every dimension,
   * MNIST at ef=512 scored all at 0.39-0.40x the queries per second of its walk.
   */
  static final double MAX_VISIT_COST = 2.5;

  /**
   * The most a visit is taken to cost when the vectors scored are a scalar-quantized copy: 2.1 on
   * the MiniLM passages at 8 bits (ef=48 against all 700), as Lucene's quantized scorer gains less
   * from scoring in order than the float scorer does. Scoring all of them at ef=48 instead of
   * walking ran at 0.84x the queries per second.
   */
  static final double MAX_QUANTIZED_VISIT_COST = 2;

  /**
   * What a graph visit costs in vectors scored in order: the vector and {@value
   * #VISIT_WORK_COMPONENTS} components' worth of work, at most 2.5 (2.5 up to 341 dimensions, 2.33
   * at 384, 1.65 at 784, 1.33 at 1,536), or at most 2 when the vectors scored are a quantized copy.
   *
   * @param dimension the field's vector dimension
   * @param quantized whether searches score a quantized copy of the field's vectors
   */
  public static double visitCost(int dimension, boolean quantized) {
    double cost = 1 + (double) VISIT_WORK_COMPONENTS / dimension;
    return Math.min(quantized ? MAX_QUANTIZED_VISIT_COST : MAX_VISIT_COST, cost);
  }

  private GraphSearch() {}

  /**
   * @param graph the field's graph, or an empty graph if the segment has none
   * @param scorer scores vector ordinals against the query, over all of the field's vectors
   * @param defaultEf the field's ef when the query sets none
   * @param visitCost what a graph visit costs in vectors scored in order ({@link #visitCost})
   * @param kept the calling thread's searcher for the field, reused between its searches
   */
  public static void search(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      KnnCollector collector,
      AcceptDocs acceptDocs,
      int defaultEf,
      double visitCost,
      KeptSearcher kept)
      throws IOException {
    int size = scorer.maxOrd();
    if (size == 0) {
      return;
    }
    Bits acceptOrds = scorer.getAcceptOrds(acceptDocs.bits());
    KnnSearchStrategy strategy = collector.getSearchStrategy();
    // A patience query judges progress by the hits it is handed, so it gets them as they enter
    // the beam; their k-th best then says nothing about what the rest of the beam can reach.
    BeamListener patience =
        isPatience(strategy) ? new HitsAsTheyCome(collector, scorer, strategy) : null;
    SearchLimits limits = new CollectorLimits(collector, patience == null);
    int ef = EfSearchStrategy.efOf(strategy, defaultEf);
    // a beam cannot hold more nodes than the segment has, however large the ef a query asks for
    int beam = Math.min(Math.max(collector.k(), ef), size);
    int candidates = Math.min(acceptDocs.cost(), size);
    if (graph.size() == 0 || scoresEveryVector(beam, size, candidates, visitCost)) {
      scoreAll(scorer, acceptOrds, collector, limits);
      return;
    }
    int maxConn0 = graph.maxConn(0);
    int[] entries = seedOrdinals(strategy, size);
    // a patience query's searcher tells its listener of the beam's moves; it is not kept
    BeamSearcher searcher =
        patience == null
            ? kept.forSearch(size, beam, maxConn0)
            : new BeamSearcher(VisitedSet.forQuery(size, beam, maxConn0), maxConn0, beam, patience);
    if (walk(searcher, graph, scorer, entries, beam, acceptOrds, limits) == false
        || patience != null) {
      return;
    }
    SearchResults results = searcher.results();
    for (int i = 0; i < results.size(); i++) {
      collector.collect(scorer.ordToDoc(results.node(i)), results.score(i));
    }
    if (results.size() >= collector.k()
        && collector.minCompetitiveSimilarity() == Float.NEGATIVE_INFINITY) {
      // The collector holds fewer than k of the k or more distinct documents it was handed: its k
      // counts something coarser, as in Lucene's block-join queries, whose collector keeps the
      // best child of each of k parents. Walk on handing it the hits, with no beam but the
      // collector's own k best, as Lucene's searcher does. The field's next searches on this
      // thread record what their beams score, so that such a walk goes on from all of it.
      searcher.searchOn(
          graph, scorer, 0, acceptOrds, limits, new HitsAsTheyCome(collector, scorer, null));
      searcher.recordScored();
    }
  }

  /**
   * Runs the beam search from the seed ordinals if any, else down from the entry node.
   *
   * @return false if the visit budget ran out before the search could start
   */
  private static boolean walk(
      BeamSearcher searcher,
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int[] entries,
      int beam,
      Bits acceptOrds,
      SearchLimits limits)
      throws IOException {
    if (entries.length > 0) {
      searcher.searchLevel(graph, scorer, 0, entries, entries.length, beam, acceptOrds, limits);
    } else if (searcher.descend(graph, scorer, 0, limits) >= 0) {
      searcher.searchFromDescent(graph, scorer, 0, beam, acceptOrds, limits);
    } else {
      return false;
    }
    return true;
  }

  /**
   * Whether the search serves Lucene's {@link org.apache.lucene.search.PatienceKnnVectorQuery}
   * (directly, or seeded by Lucene on a second pass).
   */
  private static boolean isPatience(KnnSearchStrategy strategy) {
    return EfSearchStrategy.original(strategy) instanceof KnnSearchStrategy.Patience;
  }

  /**
   * Whether scoring all {@code candidates} vectors in order costs less than walking the graph with
   * a beam of {@code beam}, a walk's visit costing {@code visitCost} vectors scored in order.
   */
  static boolean scoresEveryVector(int beam, int size, int candidates, double visitCost) {
    return visitCost * expectedVisits(beam, size, candidates) >= candidates;
  }

  /**
   * Nodes a beam of {@code beam} is expected to visit in a graph of {@code size} when {@code
   * candidates} of its nodes may be returned: {@code beam ln size} without a filter, and for each
   * accepted node it finds a walk passes about {@code size / candidates} nodes, since it walks
   * through rejected ones.
   */
  static long expectedVisits(int beam, int size, int candidates) {
    return (long) (Math.log(size) * beam * size / Math.max(1, candidates));
  }

  /**
   * Scores every accepted vector, {@value #BULK} at a time, within the visit limit and until the
   * collector terminates early.
   */
  private static void scoreAll(
      RandomVectorScorer scorer, Bits acceptOrds, KnnCollector collector, SearchLimits limits)
      throws IOException {
    int[] ords = new int[BULK];
    float[] scores = new float[BULK];
    int count = 0;
    long allowed = limits.visitsLeft();
    int size = scorer.maxOrd();
    // a filter's accepted documents come as a bit set, which finds its set bits a word at a time:
    // a selective filter is the usual reason to score every accepted vector
    BitSet acceptSet = acceptOrds instanceof BitSet bitSet ? bitSet : null;
    for (int ord = next(acceptSet, 0, size);
        ord < size && allowed > 0;
        ord = next(acceptSet, ord + 1, size)) {
      if (acceptOrds == null || acceptOrds.get(ord)) {
        ords[count++] = ord;
        allowed--;
        if (count == BULK) {
          collectScored(scorer, ords, scores, count, collector, limits);
          count = 0;
          allowed = limits.visitsLeft();
        }
      }
    }
    collectScored(scorer, ords, scores, count, collector, limits);
  }

  /** The first ordinal from {@code from} that {@code acceptSet} may accept, or size if none. */
  private static int next(BitSet acceptSet, int from, int size) {
    if (acceptSet == null || from >= size) {
      return from;
    }
    int next = acceptSet.nextSetBit(from, size);
    return next == DocIdSetIterator.NO_MORE_DOCS ? size : next;
  }

  private static void collectScored(
      RandomVectorScorer scorer,
      int[] ords,
      float[] scores,
      int count,
      KnnCollector collector,
      SearchLimits limits)
      throws IOException {
    if (count == 0) {
      return;
    }
    scorer.bulkScore(ords, scores, count);
    limits.visited(count);
    for (int i = 0; i < count; i++) {
      collector.collect(scorer.ordToDoc(ords[i]), scores[i]);
    }
  }

  /**
   * The entry points Lucene passed with a {@link KnnSearchStrategy.Seeded} strategy, if any. Lucene
   * maps the seed documents to vector ordinals before handing them over.
   */
  private static int[] seedOrdinals(KnnSearchStrategy strategy, int size) throws IOException {
    if (strategy instanceof KnnSearchStrategy.Seeded seeded && seeded.numberOfEntryPoints() > 0) {
      int[] ords = new int[seeded.numberOfEntryPoints()];
      int count = 0;
      DocIdSetIterator seeds = seeded.entryPoints();
      for (int ord = seeds.nextDoc();
          ord != DocIdSetIterator.NO_MORE_DOCS && ord < size && count < ords.length;
          ord = seeds.nextDoc()) {
        ords[count++] = ord;
      }
      return Arrays.copyOf(ords, count);
    }
    return new int[0];
  }

  /**
   * The collector's visit limit and minimum competitive similarity, as the graph sees them. A
   * collector that has terminated early leaves no visits: Lucene's query timeout says so through
   * {@link KnnCollector#earlyTerminated()}, and the graph asks before every expansion.
   *
   * @param floorFromCollector whether the collector's minimum competitive similarity is a floor;
   *     not when the collector is handed hits during the walk, as its k-th best would then cut a
   *     beam wider than k down to k
   */
  private record CollectorLimits(KnnCollector collector, boolean floorFromCollector)
      implements SearchLimits {
    @Override
    public long visitsLeft() {
      if (collector.earlyTerminated()) {
        return 0;
      }
      return collector.visitLimit() - collector.visitedCount();
    }

    @Override
    public void visited(int count) {
      collector.incVisitedCount(count);
    }

    @Override
    public float minScore() {
      return floorFromCollector ? collector.minCompetitiveSimilarity() : Float.NEGATIVE_INFINITY;
    }
  }

  /**
   * Hands the collector each hit as it enters the beam and tells the strategy, if any, of each
   * expanded node, as Lucene's patience collector expects. The beam's final nodes are among the
   * hits handed over, so the collector's best k are the beam's.
   */
  private record HitsAsTheyCome(
      KnnCollector collector, RandomVectorScorer scorer, KnnSearchStrategy strategy)
      implements BeamListener {
    @Override
    public void entered(int node, float score) {
      collector.collect(scorer.ordToDoc(node), score);
    }

    @Override
    public void expanded() {
      if (strategy != null) {
        strategy.nextVectorsBlock();
      }
    }
  }
}

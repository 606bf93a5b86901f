package org.hnswcodec.codec;

import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A kNN vectors format that indexes each vector field with an HNSW graph of its own making (package
 * {@code org.hnswcodec.graph}) and stores the raw vectors with Lucene's {@link
 * Lucene99FlatVectorsFormat}, which scores them off-heap with SIMD for searches and merges. A
 * flush builds its graph over the vectors it holds on the heap, float or byte, with our own batched
 * kernels ({@code org.hnswcodec.scoring}) where the JVM allows. {@link
 * HnswCodecScalarQuantizedVectorsFormat} writes the same graph files beside a quantized copy of
 * the vectors, which its searches score.
 *
 * <p>Parameters: {@code M}, the most links per node on the upper layers (2M on layer 0);
 * {@code efConstruction}, the beam width while inserting; and {@code ef}, the beam width of a
 * search when the query does not set one (see {@code org.hnswcodec.search.EfSearchStrategy}). A
 * search explores a beam of {@code max(k, ef)} nodes and returns the best k. All three are written
 * into each segment, so a segment is read back with the parameters it was written with, whatever
 * instance the reading codec holds.
 *
 * <p>A field with fewer than {@code minGraphSize} vectors in a segment ({@value
 * #DEFAULT_MIN_GRAPH_SIZE} by default) gets no graph there: searches score each of its vectors,
 * and a merge that reaches the threshold builds the graph.
 *
 * <h2>Files</h2>
 *
 * <p>The raw vectors are Lucene99FlatVectorsFormat's {@code .vec} (data) and {@code .vemf}
 * (metadata). The graph adds two files, named like Lucene's HNSW files because they play the same
 * roles (which is also how {@link KnnVectorsReader#getOffHeapByteSize} reports them), under their
 * own codec names:
 *
 * <h3>.vem: graph metadata ({@value #META_CODEC_NAME}), read whole when the segment opens</h3>
 *
 * <ul>
 *   <li>IndexHeader
 *   <li>per field: [int32] field number, [int32] vector encoding (0 byte, 1 float32), [int32]
 *       similarity (0 EUCLIDEAN, 1 DOT_PRODUCT, 2 COSINE, 3 MAXIMUM_INNER_PRODUCT), [vint] M,
 *       [vint] efConstruction, [vint] default ef, (from version 2) [byte] 1 if the field is
 *       float32 COSINE and every vector's squared norm is within {@link #UNIT_NORM_TOLERANCE} of 1,
 *       else 0; [vint] number of nodes N (the field's vector count, or from version 3 0 for a
 *       field written without a graph), [vlong] graph offset in .vex; if N &gt; 0: [vint]
 *       number of layers L, [vint] entry node, for each layer 1..L-1: [vint] node count and the
 *       node ordinals ascending as [vint] gaps, [vint] offset-table block shift, for each layer
 *       0..L-1: [vlong] offset table start in .vex, the table's DirectMonotonic block metadata,
 *       [vlong] table length; [vlong] graph length in .vex
 *   <li>[int32] -1, ending the fields
 *   <li>Footer
 * </ul>
 *
 * <h3>.vex: graph data ({@value #GRAPH_CODEC_NAME}), read off-heap while searching</h3>
 *
 * <ul>
 *   <li>IndexHeader
 *   <li>per field, at its graph offset: the neighbour records of layer 0 for nodes 0..N-1, then of
 *       each upper layer for its nodes in ascending order. A record is [vint] degree D; if D &gt;
 *       0, [vint] the smallest neighbour; if D &gt; 1, [byte] a bit width W and the D-1 gaps
 *       between the ascending neighbours, each in W bits, packed least significant bit first
 *       into ceil((D-1)·W/8) bytes (version 1; version 0 wrote [vint] D and the D gaps, the first
 *       from 0, as Lucene's group-varints). A neighbour is its position on the record's layer
 *       (from version 4; its ordinal before), which on layer 0 is its ordinal. Then, per layer, a
 *       DirectMonotonic table
 *       of each record's offset relative to the graph offset, indexed by the node's position on
 *       that layer (its ordinal on layer 0), in blocks of 2^shift offsets (the shift is in .vem;
 *       this code writes 8, earlier code 16, and reads any).
 *   <li>Footer
 * </ul>
 *
 * <p>Node ordinals are the flat format's vector ordinals: the field's documents in docID order.
 */
public final class HnswCodecVectorsFormat extends AbstractHnswCodecVectorsFormat {

  /** The name this format is registered under (SPI) and recorded in every segment. */
  public static final String NAME = "HnswCodec10";

  static final String META_CODEC_NAME = "HnswCodec10GraphMeta";
  static final String GRAPH_CODEC_NAME = "HnswCodec10GraphData";
  static final String META_EXTENSION = "vem";
  static final String GRAPH_EXTENSION = "vex";

  /** The first version of the files: neighbour records as group-varint gaps. */
  public static final int VERSION_START = 0;

  /** Neighbour records with their gaps bit-packed at one width per record. */
  public static final int VERSION_PACKED_GAPS = 1;

  /**
   * Each field records whether its vectors are all of unit length, so that cosine can be scored
   * as a dot product ({@link #UNIT_NORM_TOLERANCE}).
   */
  public static final int VERSION_UNIT_VECTORS = 2;

  /**
   * A field may have vectors and no graph: its segment had fewer than the format's {@code
   * minGraphSize} vectors, and a search scores them all. Earlier versions always had a graph, and
   * code that reads only up to version 2 would find no hits in such a field, hence the new number.
   */
  public static final int VERSION_GRAPHLESS_SEGMENTS = 3;

  /**
   * A record on an upper layer names its neighbours by their positions in that layer's ascending
   * node list rather than by ordinal: a layer holds about 1/M of the nodes of the one below, so
   * the gaps between positions are about M times smaller than between ordinals (0.47 bytes a
   * vector less on SIFT, about 1.4% of the graph).
   */
  public static final int VERSION_LAYER_POSITIONS = 4;

  /** The version this code writes. */
  public static final int VERSION_CURRENT = VERSION_LAYER_POSITIONS;

  /**
   * How far from 1 a vector's squared norm may be for the vector to count as unit length. A
   * COSINE field whose vectors all are (sentence embeddings usually are) is searched and merged
   * with a dot product against the normalised query: the same score as cosine up to half this
   * tolerance, for a third of the arithmetic (cosine also sums both squared norms).
   */
  public static final float UNIT_NORM_TOLERANCE = 1e-5f;

  /** Default M, as in Lucene's HNSW format. */
  public static final int DEFAULT_MAX_CONN = 16;

  /** Default efConstruction, as in Lucene's HNSW format. */
  public static final int DEFAULT_BEAM_WIDTH = 100;

  /** Default ef of a search whose query sets none. */
  public static final int DEFAULT_EF = 100;

  /**
   * Default of the fewest vectors a segment's field needs to be given a graph. Below it the field
   * is written without one, and a search scores each of its vectors, as Lucene's HNSW format does
   * for segments of up to 647 vectors. Tiny segments come from frequent flushes (near-real-time
   * refreshes) and are soon merged away, so their graphs would be built for few searches, and
   * cheap ones: a search at the default ef scores every vector of a segment this small anyway (see
   * {@code GraphSearch}), and one at ef=10 would visit about a tenth of them.
   */
  public static final int DEFAULT_MIN_GRAPH_SIZE = 650;

  /** Largest M accepted. */
  public static final int MAX_MAX_CONN = 512;

  /** Largest efConstruction accepted. */
  public static final int MAX_BEAM_WIDTH = 3200;

  /** Largest default ef accepted; a query may ask for more. */
  public static final int MAX_DEFAULT_EF = 10_000;

  /** Most workers that may insert into one graph at once. */
  public static final int MAX_BUILD_WORKERS = 128;

  /** Most dimensions a vector may have. */
  public static final int MAX_DIMENSIONS = 4096;

  /** Seed of the layer assignment, so that the same vectors give the same graph. */
  static final long GRAPH_SEED = 0x5EED_C0DECL;

  /** Similarity functions by their number in the metadata file; never reorder. */
  static final List<VectorSimilarityFunction> SIMILARITY_FUNCTIONS =
      List.of(
          VectorSimilarityFunction.EUCLIDEAN,
          VectorSimilarityFunction.DOT_PRODUCT,
          VectorSimilarityFunction.COSINE,
          VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT);

  /**
   * Stores the vectors. The scalar-quantized variant also reads its raw vectors back with it at
   * merge: Lucene 10.5.1's quantized format writes them with a Lucene99 flat format set up the
   * same way, under the same segment suffix (a detail of Lucene's that {@code
   * ScalarQuantizedFormatTest} checks, so that an upgrade which changes it fails there).
   */
  static final FlatVectorsFormat FLAT_VECTORS_FORMAT =
      new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

  /** A format with the defaults: M=16, efConstruction=100, ef=100, graphs from 650 vectors. */
  public HnswCodecVectorsFormat() {
    this(DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH, DEFAULT_EF);
  }

  /**
   * A format with the given graph parameters and the default ef, constructed like Lucene's {@code
   * Lucene99HnswVectorsFormat(int maxConn, int beamWidth)}.
   *
   * @param maxConn M, in [2, 512]
   * @param beamWidth efConstruction, in [1, 3200]
   */
  public HnswCodecVectorsFormat(int maxConn, int beamWidth) {
    this(maxConn, beamWidth, DEFAULT_EF);
  }

  /**
   * @param maxConn M, in [2, 512]
   * @param beamWidth efConstruction, in [1, 3200]
   * @param defaultEf the ef of searches whose query sets none, in [1, 10000]
   */
  public HnswCodecVectorsFormat(int maxConn, int beamWidth, int defaultEf) {
    this(maxConn, beamWidth, defaultEf, 1, null);
  }

  /**
   * A format that builds each graph with several concurrent workers, like Lucene's {@code
   * Lucene99HnswVectorsFormat(maxConn, beamWidth, numMergeWorkers, mergeExec)} but at flush too.
   * The graphs are as good but no longer the same from one build to the next, since they depend on
   * the order in which the threads insert.
   *
   * @param maxConn M, in [2, 512]
   * @param beamWidth efConstruction, in [1, 3200]
   * @param defaultEf the ef of searches whose query sets none, in [1, 10000]
   * @param buildWorkers how many insertions into one graph may run at once, in [1, 128]; 1 builds
   *     on the flushing or merging thread
   * @param buildExecutor runs the workers at flush and at merge; if null, a merge uses the merge
   *     scheduler's intra-merge executor (see {@code MergeScheduler#getIntraMergeExecutor}) and a
   *     flush builds on the flushing thread alone
   */
  public HnswCodecVectorsFormat(
      int maxConn, int beamWidth, int defaultEf, int buildWorkers, ExecutorService buildExecutor) {
    this(maxConn, beamWidth, defaultEf, buildWorkers, buildExecutor, DEFAULT_MIN_GRAPH_SIZE);
  }

  /**
   * A format with every parameter, including the segment size from which fields get a graph.
   *
   * @param maxConn M, in [2, 512]
   * @param beamWidth efConstruction, in [1, 3200]
   * @param defaultEf the ef of searches whose query sets none, in [1, 10000]
   * @param buildWorkers how many insertions into one graph may run at once, in [1, 128]
   * @param buildExecutor runs the workers, as for {@link #HnswCodecVectorsFormat(int, int, int,
   *     int, ExecutorService)}
   * @param minGraphSize the fewest vectors a field needs in a flushed or merged segment to be
   *     given a graph, at least 0; with fewer it is written without one and searched by scoring
   *     every vector. 0 or 1 gives every segment a graph.
   */
  public HnswCodecVectorsFormat(
      int maxConn,
      int beamWidth,
      int defaultEf,
      int buildWorkers,
      ExecutorService buildExecutor,
      int minGraphSize) {
    super(
        NAME,
        FLAT_VECTORS_FORMAT,
        FLAT_VECTORS_FORMAT,
        maxConn,
        beamWidth,
        defaultEf,
        buildWorkers,
        buildExecutor,
        minGraphSize);
  }
}

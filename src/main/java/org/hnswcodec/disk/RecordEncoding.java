package org.hnswcodec.disk;

/**
 * How a neighbour record stores its ascending neighbours. Both start with the degree as a vInt.
 */
public enum RecordEncoding {
  /**
   * Format version 0: the gaps between neighbours (the first neighbour itself first) as Lucene's
   * group vInts, as Lucene's own HNSW files store them. Read only.
   */
  GROUP_VARINT_GAPS,

  /**
   * Format version 1 on: the first neighbour as a vInt, then, if there are more, one byte with the
   * bit width of the largest gap and the gaps bit-packed at that width, least significant bit
   * first. A record's gaps are of similar size, so a width per record costs 12–13% fewer bytes than
   * group vInts, whose values take whole bytes and a two-bit length each. Format versions 1 to 3;
   * read only.
   */
  PACKED_GAPS,

  /**
   * Format version 4 on: {@link #PACKED_GAPS} of positions rather than ordinals. A record on an
   * upper layer names its neighbours by their positions in the layer's ascending node list, whose
   * gaps are about M times smaller than the ordinals'; on layer 0 position and ordinal are the
   * same.
   */
  PACKED_POSITIONS
}

package org.hnswcodec.tool;

import java.util.Map;

/**
 * One record of a vector file.
 *
 * @param row the record's position in its file, counted from 0 (the ground truth's ids)
 * @param vector the vector
 * @param fields the record's other fields as text (only JSON lines have any), in file order
 */
record VectorRecord(long row, float[] vector, Map<String, String> fields) {}

package org.hnswcodec.tool;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the records of one vector file in order, limited to a range of rows. Open one with {@link
 * VectorFiles#open}.
 */
interface VectorReader extends Closeable {

  /** Number of dimensions of every vector in the file. */
  int dimension();

  /** Number of records this reader returns: those of the file within its row range. */
  long size();

  /** The next record, or null after the last one. */
  VectorRecord next() throws IOException;
}

package org.hnswcodec.tool;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1 to 3) that hold a 2-D float32 array in C order:
 * one vector per row.
 */
final class NpyReader extends VectorReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final Path path;
  private final FileChannel channel;
  private final InputStream in;
  private final int dimension;
  private final ByteBuffer buffer;

  private NpyReader(Path path, FileChannel channel, Header header, RowRange rows) {
    super(rows);
    this.path = path;
    this.channel = channel;
    this.in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    this.dimension = header.columns;
    this.buffer = ByteBuffer.allocate(4 * dimension).order(header.order);
  }

  /** Opens {@code path}, positioned at the first row of {@code rows}. */
  static NpyReader open(Path path, RowRange rows) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      Header header = readHeader(path, channel);
      RowRange within = rows.within(header.rows, path.toString());
      long rowBytes = 4L * header.columns;
      long expected = header.dataStart + header.rows * rowBytes;
      if (channel.size() < expected) {
        throw new InputException(
            path
                + ": the header promises "
                + header.rows
                + "x"
                + header.columns
                + " float32 values ("
                + expected
                + " bytes with the header) but the file has "
                + channel.size());
      }
      channel.position(header.dataStart + within.start() * rowBytes);
      return new NpyReader(path, channel, header, within);
    } catch (RuntimeException | IOException e) {
      channel.close();
      throw e;
    }
  }

  private record Header(long rows, int columns, ByteOrder order, long dataStart) {}

  private static Header readHeader(Path path, FileChannel channel) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    int read = channel.read(prefix, 0);
    for (int i = 0; i < MAGIC.length; i++) {
      if (read < 10 || prefix.get(i) != MAGIC[i]) {
        throw new InputException(path + " is not a NumPy .npy file (no \\x93NUMPY magic)");
      }
    }
    int major = prefix.get(6);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(prefix.getShort(8));
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = Integer.toUnsignedLong(prefix.getInt(8));
      headerStart = 12;
    } else {
      throw new InputException(path + ": unsupported .npy format version " + major);
    }
    ByteBuffer text = ByteBuffer.allocate((int) headerLength);
    channel.read(text, headerStart);
    String header = new String(text.array(), 0, text.position(), StandardCharsets.ISO_8859_1);
    String descr = find(path, DESCR, header, "descr");
    if (descr.equals("<f4") == false && descr.equals(">f4") == false) {
      throw new InputException(
          path + ": dtype '" + descr + "' is not float32; convert it with array.astype('float32')");
    }
    if (find(path, FORTRAN, header, "fortran_order").equals("True")) {
      throw new InputException(
          path + ": the array is in Fortran order; save it with numpy.ascontiguousarray(array)");
    }
    String[] dims = find(path, SHAPE, header, "shape").split(",");
    long[] shape = new long[dims.length];
    int count = 0;
    for (String dim : dims) {
      if (dim.isBlank() == false) {
        shape[count++] = Long.parseLong(dim.strip());
      }
    }
    if (count != 2) {
      throw new InputException(
          path
              + ": the array has "
              + count
              + " dimensions; expected a 2-D array, one vector per row");
    }
    if (shape[1] < 1 || shape[1] > Integer.MAX_VALUE / 4) {
      throw new InputException(path + ": vectors of " + shape[1] + " dimensions are not supported");
    }
    ByteOrder order = descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    return new Header(shape[0], (int) shape[1], order, headerStart + headerLength);
  }

  private static String find(Path path, Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (m.find() == false) {
      throw new InputException(path + ": the .npy header has no valid '" + key + "': " + header);
    }
    return m.group(1);
  }

  @Override
  int dimension() {
    return dimension;
  }

  @Override
  VectorRecord read(long row) throws IOException {
    byte[] bytes = buffer.array();
    if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
      throw new EOFException(path + ": truncated at row " + row);
    }
    float[] vector = new float[dimension];
    buffer.asFloatBuffer().get(vector);
    return new VectorRecord(row, vector, Map.of());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

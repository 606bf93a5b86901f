package org.hnswcodec.tool;

/**
 * A problem with what the user gave the tool (a malformed file, a value the index cannot take),
 * reported as a one-line message rather than a stack trace.
 */
final class InputException extends RuntimeException {

  InputException(String message) {
    super(message);
  }
}

/**
 * Numbers out of delimited text, straight into shared memory: {@link org.memshare.text.NumberText}
 * reads the data records of a CSV or TSV file, as R's {@code write.csv} and pandas'
 * {@code to_csv} write them, into direct double buffers such as the columns of an
 * {@link org.memshare.ArrayPage}, in the C++ core (fast_float: correctly rounded, as
 * {@link java.lang.Double#parseDouble}). It reads the plain case and declines the rest with a
 * reason, for a fuller reader to take; {@code memshare select} puts it in front of its own.
 */
package org.memshare.text;

package io.flextime.events.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code flextime.max-body-bytes} (1 MiB) with 413: at once when Content-Length
 * says so, and while reading for chunked bodies that do not announce their size.
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    private final ProblemWriter problems;

    public BodySizeLimitFilter(long maxBytes, ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > this.maxBytes) {
            this.problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                    "The body has " + request.getContentLengthLong() + " bytes; at most " + this.maxBytes + " are accepted.");
            return;
        }
        chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
    }

    /** Thrown while reading a chunked body past the limit; the API's error handling answers 413. */
    public static class BodyTooLargeException extends IOException {

        BodyTooLargeException(long maxBytes) {
            super("The request body is larger than the " + maxBytes + " bytes accepted.");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream delegate = super.getInputStream();
            return new ServletInputStream() {

                private long read;

                @Override
                public int read() throws IOException {
                    int next = delegate.read();
                    if (next >= 0 && ++this.read > LimitedRequest.this.maxBytes) {
                        throw new BodyTooLargeException(LimitedRequest.this.maxBytes);
                    }
                    return next;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count = delegate.read(buffer, offset, length);
                    if (count > 0) {
                        this.read += count;
                        if (this.read > LimitedRequest.this.maxBytes) {
                            throw new BodyTooLargeException(LimitedRequest.this.maxBytes);
                        }
                    }
                    return count;
                }

                @Override
                public boolean isFinished() {
                    return delegate.isFinished();
                }

                @Override
                public boolean isReady() {
                    return delegate.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    delegate.setReadListener(listener);
                }
            };
        }
    }
}

package io.flextime.events.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The brief's API-key authentication. Every request except {@code /health} and the actuator's liveness and
 * readiness probes (so every {@code /api/**} request, the {@code /events} WebSocket handshake and the rest of the
 * actuator) must carry the key from {@code EVENT_API_KEY}, as {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key>} (browsers that cannot set headers on a WebSocket or EventSource may use
 * {@code ?apiKey=}). Keys are compared in constant time. With no key configured the protected paths answer 503
 * saying how to set one: there is no open mode.
 *
 * <p>Protected unless listed open, and the open list is matched against the path as Spring routes it (decoded,
 * {@code ;} parameters removed): a list of protected prefixes matched against the raw request URI let
 * {@code /%61pi/metrics} or {@code /api;x/streams} through to the handlers of {@code /api/metrics} and
 * {@code /api/streams}.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    private static final Log logger = LogFactory.getLog(ApiKeyFilter.class);

    private final byte[] expectedDigest;

    private final ProblemWriter problems;

    public ApiKeyFilter(String apiKey, ProblemWriter problems) {
        this.expectedDigest = StringUtils.hasText(apiKey) ? sha256(apiKey) : null;
        this.problems = problems;
        if (this.expectedDigest == null) {
            logger.warn("EVENT_API_KEY is not set: every /api, /events and actuator endpoint answers 503 until it is. "
                    + "Set EVENT_API_KEY to a long random secret (e.g. openssl rand -hex 32).");
        }
    }

    private static final Set<String> OPEN = Set.of("/health", "/actuator/health/liveness", "/actuator/health/readiness");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OPEN.contains(UrlPathHelper.defaultInstance.getPathWithinApplication(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (this.expectedDigest == null) {
            this.problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "API key not configured",
                    "This endpoint needs an API key, and none is configured: set the EVENT_API_KEY environment variable "
                            + "and restart the service.");
            return;
        }
        String given = presentedKey(request);
        if (given == null || !MessageDigest.isEqual(sha256(given), this.expectedDigest)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            this.problems.write(response, HttpStatus.UNAUTHORIZED, "Missing or wrong API key",
                    "Send the key from EVENT_API_KEY as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader("X-API-Key");
        if (StringUtils.hasText(header)) {
            return header.trim();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return request.getParameter("apiKey");
    }

    /** Digests of equal length, so the comparison does not leak the key's length either. */
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}

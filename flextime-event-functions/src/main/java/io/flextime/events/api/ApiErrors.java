package io.flextime.events.api;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.flextime.events.routing.UnknownEventTypeException;
import io.flextime.events.schema.FieldError;
import io.flextime.events.schema.InvalidEventException;
import io.flextime.streams.monitor.MonitorException;

/**
 * Every error of the API is an RFC 9457 problem-details document with a sentence a person can act on; the
 * framework's own errors (bad JSON, wrong method, missing parameter, ...) included. Schema failures list each
 * failing field path under {@code errors}. A client cannot cause a 500: what remains is Redis being away (503)
 * or a bug.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Log log = LogFactory.getLog(ApiErrors.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        return problem(problem.getStatus(), problem.getMessage());
    }

    @ExceptionHandler(InvalidEventException.class)
    ResponseEntity<ProblemDetail> invalidEvent(InvalidEventException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
        problem.setTitle("Event does not match its schema");
        problem.setProperty("errors", ex.getErrors());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(UnknownEventTypeException.class)
    ResponseEntity<ProblemDetail> unknownType(UnknownEventTypeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
        problem.setTitle("Unknown event type");
        problem.setProperty("errors", List.of(new FieldError("$.eventType", ex.getMessage())));
        return ResponseEntity.badRequest().body(problem);
    }

    /** Redis' own words name its address; they go to the log, the caller learns what failed. */
    @ExceptionHandler(RedisConnectionFailureException.class)
    ResponseEntity<ProblemDetail> redisDown(RedisConnectionFailureException ex) {
        log.warn("API request failed, Redis is not reachable: " + ex.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Redis is not reachable; the service's log has the details.");
    }

    /**
     * Redis refusing the ids or range it was given ({@code ERR invalid end ID for the interval} for an exclusive
     * {@code (0-0} end) is the request's fault, though the API let its form through; anything else Redis refused is
     * the service's or Redis' state.
     */
    @ExceptionHandler(io.lettuce.core.RedisException.class)
    ResponseEntity<ProblemDetail> redisRefused(io.lettuce.core.RedisException ex) {
        if (ex instanceof io.lettuce.core.RedisCommandExecutionException && ex.getMessage() != null
                && ex.getMessage().startsWith("ERR invalid")) {
            return problem(HttpStatus.BAD_REQUEST, "Redis refused the request's ids or range: " + ex.getMessage());
        }
        log.warn("API request failed, Redis did not complete it: " + ex.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Redis did not complete the request; the service's log has the details.");
    }

    /** A monitoring read (snapshot, stream discovery) Redis did not answer in time, or refused. */
    @ExceptionHandler(MonitorException.class)
    ResponseEntity<ProblemDetail> monitorFailed(MonitorException ex) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
    }

    /** The last resort; anything that lands here is a bug, logged with its stack trace. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        if (causedBy(ex, BodySizeLimitFilter.BodyTooLargeException.class) != null) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, causedBy(ex, BodySizeLimitFilter.BodyTooLargeException.class).getMessage());
        }
        log.error("Unexpected error in the API", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error; it has been logged.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        Throwable tooLarge = causedBy(ex, BodySizeLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()).getBody());
        }
        if (causedBy(ex, UnrecognizedPropertyException.class) instanceof UnrecognizedPropertyException unknown) {
            String path = jsonPath(unknown);
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Unknown field '" + path
                    + "'; the fields there are " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
            problem.setTitle("Unknown field");
            problem.setProperty("errors", List.of(new FieldError(path, "unknown field")));
            return ResponseEntity.badRequest().body(problem);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, malformedBody(ex));
        problem.setTitle("Malformed request body");
        if (causedBy(ex, DatabindException.class) instanceof DatabindException shape) {
            problem.setProperty("errors", List.of(new FieldError(jsonPath(shape), "not of the expected type")));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * What is wrong with a body, in the caller's terms: where a value has the wrong type, or where the JSON
     * breaks. Jackson's and Spring's own messages name the service's classes and methods; they go to the log.
     */
    private static String malformedBody(HttpMessageNotReadableException ex) {
        log.debug("Malformed request body", ex);
        if (causedBy(ex, DatabindException.class) instanceof DatabindException shape) {
            String path = jsonPath(shape);
            return "$".equals(path) ? "The request body is not a JSON object of the expected shape"
                    : "The value at " + path + " is not of the expected type";
        }
        if (causedBy(ex, StreamReadException.class) instanceof StreamReadException syntax) {
            return "The request body is not valid JSON: " + firstLine(syntax.getOriginalMessage());
        }
        return "The request body is missing or not JSON";
    }

    /** Where in the body a field is, written as the schema errors write it: {@code $.events[0].priorty}. */
    private static String jsonPath(JacksonException ex) {
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).body(problem);
    }

    private static Throwable causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

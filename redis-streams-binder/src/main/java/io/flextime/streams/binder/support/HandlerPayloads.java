package io.flextime.streams.binder.support;

import java.lang.reflect.Type;
import java.util.Collection;

import org.reactivestreams.Publisher;

import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;

/** What payload a function bean takes, seen through the wrappers a handler's input may have. */
public final class HandlerPayloads {

    private HandlerPayloads() {
    }

    /**
     * The class of the payloads a function with this input type takes: inside a {@code Flux}/{@code Mono}, a
     * {@code Message}, and in batch mode a {@code List}. {@code null} when it cannot be told (a type variable,
     * a wildcard) or when anything goes ({@code Object}).
     */
    public static Class<?> payloadClass(Type inputType, boolean batchMode) {
        ResolvableType input = ResolvableType.forType(inputType);
        if (Publisher.class.isAssignableFrom(input.toClass())) {
            input = input.getGeneric(0);
        }
        if (Message.class.isAssignableFrom(input.toClass())) {
            input = input.getGeneric(0);
        }
        if (batchMode && Collection.class.isAssignableFrom(input.toClass())) {
            input = input.asCollection().getGeneric(0);
        }
        Class<?> payload = input.resolve();
        return payload == null || payload == Object.class ? null : payload;
    }
}

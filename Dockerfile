# The FlexTime event service. Build from the repository root: docker build -t flextime-event-functions .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl flextime-event-functions -am package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/flextime-event-functions/target/flextime-event-functions-*-exec.jar app.jar
EXPOSE 3010
ENTRYPOINT ["java", "-jar", "/app/app.jar"]

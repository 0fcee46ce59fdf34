# Build: docker build -t tollgate .   Run: docker run -v $PWD/conf:/etc/tollgate tollgate
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 tollgate
COPY --from=build /src/proxy/target/tollgate.jar /opt/tollgate/tollgate.jar
USER 10001
EXPOSE 4318
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/tollgate/tollgate.jar"]
CMD ["serve", "--config", "/etc/tollgate/tollgate.yaml"]

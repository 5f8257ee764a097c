FROM alpine AS 1bad
RUNN x
COPY --frm=a x y
RUN --mount=type=cache echo $FOO ${BAR:-x}
EXPOSE 80/tcp 8080/xyz
ONBUILD FROM x
COPY a
USER $NOPE

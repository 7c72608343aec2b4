module demo {
  requires dev.jnet;
}
